import importlib

import pytest
from django.conf import settings

from ciep.models import Language
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHINESE_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8", "HTTP_ACCEPT": PAGE}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9", "HTTP_ACCEPT": PAGE}


def test_chinese_browser_on_an_address_without_language_is_sent_to_the_chinese_page(client):
    response = client.get("/jobs/?q=engineer", **CHINESE_BROWSER)

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/jobs/?q=engineer"
    assert response["Vary"] == "Accept, Accept-Language, Cookie"
    assert response["Cache-Control"] == "private, max-age=0"


def test_english_browser_and_robots_get_the_english_page(client):
    assert client.get("/", **ENGLISH_BROWSER).status_code == 200
    assert client.get("/").status_code == 200


def test_an_address_with_a_language_is_always_honoured(client):
    user = UserFactory(preferred_language=Language.CHINESE)
    client.force_login(user)

    assert client.get("/zh-hans/", **ENGLISH_BROWSER).status_code == 200
    user.preferred_language = Language.ENGLISH
    user.save()
    assert client.get("/zh-hans/jobs/", **ENGLISH_BROWSER).status_code == 200


def test_requests_that_do_not_ask_for_a_page_are_not_redirected(client):
    script = {"HTTP_ACCEPT_LANGUAGE": "zh-CN", "HTTP_ACCEPT": "*/*"}

    assert client.get("/robots.txt", **CHINESE_BROWSER).status_code == 200
    assert client.get("/health/", **script).status_code == 200
    assert client.get("/editions/", **script).status_code == 200


def test_signed_in_person_reads_their_preferred_language_whatever_the_browser(client):
    client.force_login(UserFactory(preferred_language=Language.CHINESE))

    response = client.get("/forum/", **ENGLISH_BROWSER)

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/forum/"


def test_picking_english_on_a_chinese_page_is_remembered_on_this_browser(client):
    response = client.get("/language/en/?next=/zh-hans/jobs/%3Fq%3D5G", **CHINESE_BROWSER)

    assert response.status_code == 302
    assert response["Location"] == "/jobs/?q=5G"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/jobs/?q=5G", **CHINESE_BROWSER).status_code == 200


def test_picking_a_language_keeps_the_page_and_becomes_the_signed_in_persons_preference(client):
    user = UserFactory(preferred_language=Language.ENGLISH)
    client.force_login(user)

    response = client.get("/language/zh-hans/?next=/projects/%3Fpage%3D2")

    assert response["Location"] == "/zh-hans/projects/?page=2"
    user.refresh_from_db()
    assert user.preferred_language == Language.CHINESE


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "\\\\evil"]
)
def test_language_link_never_leaves_the_portal(client, target):
    response = client.get("/language/zh-hans/", {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_unknown_language_falls_back_to_english(client):
    response = client.get("/language/xx/", {"next": "/zh-hans/forum/"})

    assert response["Location"] == "/forum/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_language_link_of_a_page_keeps_its_address(client):
    html = client.get("/zh-hans/jobs/?q=AI").content.decode()

    assert 'href="/language/en/?next=/zh-hans/jobs/%3Fq%3DAI"' in html


def test_signing_out_of_a_chinese_page_lands_on_the_chinese_home_page(client):
    client.force_login(UserFactory(preferred_language=Language.CHINESE))

    response = client.post("/zh-hans/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_pages_without_a_language_tell_front_caches_what_they_depend_on(client):
    english = client.get("/forum/", **ENGLISH_BROWSER)
    chinese = client.get("/zh-hans/forum/", **CHINESE_BROWSER)

    assert {"Accept", "Accept-Language"} <= {v.strip() for v in english["Vary"].split(",")}
    assert "Accept-Language" not in chinese.get("Vary", "")


def test_one_code_for_each_language_and_django_codes_only_for_pages():
    assert Language.CHINESE == "zh"
    assert [Language.ENGLISH.django_code, Language.CHINESE.django_code] == ["en", "zh-hans"]
    assert Language.from_django_code("zh-hans") == Language.CHINESE
    assert UserFactory.build(preferred_language=Language.CHINESE).interface_language == "zh-hans"
    assert UserFactory.build(preferred_language=Language.ENGLISH).interface_language == "en"


def test_stored_preferred_languages_move_to_the_iso_code_and_back():
    from django.apps import apps

    migration = importlib.import_module("ciep.migrations.0013_preferred_language_iso_code")
    chinese, english = UserFactory(), UserFactory(preferred_language=Language.ENGLISH)
    User = type(chinese)
    User.objects.filter(pk=chinese.pk).update(preferred_language="zh-hans")

    migration.to_iso_codes(apps, None)
    stored = dict(User.objects.values_list("pk", "preferred_language"))
    assert (stored[chinese.pk], stored[english.pk]) == ("zh", "en")

    migration.to_django_codes(apps, None)
    stored = dict(User.objects.values_list("pk", "preferred_language"))
    assert (stored[chinese.pk], stored[english.pk]) == ("zh-hans", "en")
