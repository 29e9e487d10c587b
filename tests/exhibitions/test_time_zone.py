"""The time-zone choice: a CSRF-protected form, and booth pages that stay cacheable."""

import pytest
from django.test import Client
from django.urls import reverse

from ciep.time_zones import zone_label
from exhibitions.templatetags.exhibition_tags import SESSION_KEY
from tests.factories import UserFactory

from .factories import SlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def test_a_time_zone_post_without_a_token_is_refused(browser, edition):
    slot = SlotFactory(exhibitor__edition=edition)
    url = slot.exhibitor.get_absolute_url()
    response = browser.post(reverse("exhibitions:set_timezone"), {"tz": "Asia/Tokyo", "next": url})
    assert response.status_code == 403
    assert SESSION_KEY not in browser.session


def test_a_time_zone_post_with_a_forged_token_is_refused(browser, edition):
    browser.get(reverse("exhibitions:set_timezone"))
    browser.cookies["csrftoken"] = "a" * 32
    response = browser.post(
        reverse("exhibitions:set_timezone"), {"tz": "Asia/Tokyo", "csrfmiddlewaretoken": "b" * 32}
    )
    assert response.status_code == 403


def test_an_anonymous_booth_page_is_cached_and_asks_on_the_time_zone_page(browser, edition):
    slot = SlotFactory(exhibitor__edition=edition)
    url = slot.exhibitor.get_absolute_url()
    first = browser.get(url)
    assert first["X-Page-Cache"] == "miss"
    second = browser.get(url)
    assert second["X-Page-Cache"] == "hit"
    page = second.content.decode()
    action = reverse("exhibitions:set_timezone")
    assert f'<form method="get" action="{action}"' in page
    assert "csrfmiddlewaretoken" not in page
    assert "csrftoken" not in second.cookies


def test_the_time_zone_flow_from_a_cached_booth_page(browser, edition):
    slot = SlotFactory(exhibitor__edition=edition)
    url = slot.exhibitor.get_absolute_url()
    browser.get(url)
    # The booth page's form sends its choice to the time-zone page...
    choice = browser.get(reverse("exhibitions:set_timezone"), {"tz": "Europe/Berlin", "next": url})
    assert choice.status_code == 200
    assert "X-Page-Cache" not in choice
    page = choice.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'<option value="Europe/Berlin" selected>{zone_label("Europe/Berlin")}</option>' in page
    assert f'name="next" value="{url}"' in page
    # ...which posts it with its token.
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        reverse("exhibitions:set_timezone"),
        {"tz": "Europe/Berlin", "next": url, "csrfmiddlewaretoken": token},
    )
    assert (response.status_code, response["Location"]) == (302, url)
    assert browser.session[SESSION_KEY] == "Europe/Berlin"
    booth = browser.get(url)
    assert "X-Page-Cache" not in booth  # a visitor with a session gets a fresh page
    page = booth.content.decode()
    assert f"{zone_label('Europe/Berlin', slot.starts_at)})" in page
    # Now the booth page's own form posts at once, with this browser's token.
    assert f'<form method="post" action="{reverse("exhibitions:set_timezone")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_the_time_zone_page_goes_back_only_to_a_path_of_the_portal(browser, edition):
    response = browser.get(reverse("exhibitions:set_timezone"), {"next": "//evil.example/"})
    assert f'name="next" value="{reverse("exhibitions:catalogue")}"' in response.content.decode()


def test_a_signed_in_booth_page_posts_the_time_zone_with_a_token(browser, edition):
    slot = SlotFactory(exhibitor__edition=edition)
    browser.force_login(UserFactory())
    page = browser.get(slot.exhibitor.get_absolute_url()).content.decode()
    assert f'<form method="post" action="{reverse("exhibitions:set_timezone")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_the_meetings_page_posts_the_time_zone_with_a_token(browser, edition):
    browser.force_login(UserFactory())
    page = browser.get(reverse("exhibitions:meeting_list")).content.decode()
    assert f'<form method="post" action="{reverse("exhibitions:set_timezone")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
