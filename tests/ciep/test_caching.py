import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ciep import caching
from ciep.caching import bump_all, shared
from tests.factories import DelegationFactory, EditionFactory, FieldFactory
from tests.forums.factories import SessionFactory
from tests.recruitment.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


def test_anonymous_page_is_cached_per_language_and_refreshed_on_change(client, edition):
    url = reverse("ciep:edition_detail", args=[edition.number])
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get("/zh-hans" + url)["X-Page-Cache"] == "miss"
    DelegationFactory(edition=edition, name_en="Hainan Province")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Hainan Province" in response.content.decode()


def test_signed_in_and_session_holders_get_fresh_pages(client, user, edition):
    url = reverse("ciep:edition_detail", args=[edition.number])
    client.get(url)
    client.force_login(user)
    assert "X-Page-Cache" not in client.get(url)
    client.logout()
    client.cookies["sessionid"] = "anything"
    assert "X-Page-Cache" not in client.get(url)


def test_pages_holding_a_csrf_token_are_never_shared(client, edition):
    url = reverse("account_login")
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_bump_all_refreshes_every_page(client, edition):
    url = reverse("ciep:edition_list")
    client.get(url)
    EditionFactory.build()  # nothing saved: still cached
    assert client.get(url)["X-Page-Cache"] == "hit"
    bump_all()
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_shared_value_is_counted_again_only_when_what_it_reads_changes(edition):
    posting = JobPostingFactory()
    calls = []

    def count():
        calls.append(None)
        return len(calls)

    assert shared("sessions", count, "forums") == 1
    assert shared("sessions", count, "forums") == 1
    posting.save()  # another area changed: still the same value
    assert shared("sessions", count, "forums") == 1
    SessionFactory(edition=edition)
    assert shared("sessions", count, "forums") == 2
    with translation.override("zh-hans"):
        assert shared("sessions", count, "forums") == 3


def test_a_change_in_another_process_is_seen_within_a_second(client, edition, monkeypatch):
    url = reverse("ciep:edition_list")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    cache.incr("pagecache:version:gen:ciep")  # what a save in another worker does
    assert client.get(url)["X-Page-Cache"] == "hit"  # versions read less than a second ago
    monkeypatch.setattr(caching, "VERSIONS_MAX_AGE", 0)
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_versions_start_from_a_number_no_earlier_page_carries(edition):
    first = caching.versions(["ciep"])
    cache.clear()
    caching.forget_versions()
    assert caching.versions(["ciep"]) != first


def test_a_filter_form_is_drawn_once_and_follows_its_choices(client, user, edition):
    client.force_login(user)
    FieldFactory(name_en="Quantum sensing")
    with CaptureQueriesContext(connection) as first:
        body = client.get("/jobs/?type=full_time").content.decode()
    assert "Quantum sensing" in body
    with CaptureQueriesContext(connection) as second:
        body = client.get("/jobs/?type=full_time").content.decode()
    assert 'value="full_time" selected' in body
    assert len(second) < len(first)  # the choices of fields were not read again
    FieldFactory(name_en="Marine biology")
    assert "Marine biology" in client.get("/jobs/?type=full_time").content.decode()
    assert "Marine biology" in client.get("/jobs/").content.decode()


def test_a_sign_in_keeps_every_cached_page(client, edition):
    from tests.factories import PASSWORD, UserFactory

    user = UserFactory(password=PASSWORD)
    user.emailaddress_set.update(verified=True)
    url = reverse("ciep:edition_detail", args=[edition.number])
    assert client.get(url)["X-Page-Cache"] == "miss"
    visitor = client.__class__()
    response = visitor.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert client.get(url)["X-Page-Cache"] == "hit"
    user.name = "Renamed"
    user.save()
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_pages_drawn_for_a_signed_in_person_are_never_stored(client, user, organiser, edition):
    url = reverse("ciep:edition_detail", args=[edition.number])
    assert client.get(url)["Cache-Control"] == "public, max-age=60, s-maxage=60"
    client.force_login(user)
    assert client.get(url)["Cache-Control"] == "private, no-store"
    assert client.get(reverse("ciep:dashboard"))["Cache-Control"] == "private, no-store"
    client.force_login(organiser)
    export = client.get(reverse("ciep:edition_report_csv", args=[edition.number]))
    assert export["Cache-Control"] == "private, no-store"
