"""A visitor reaches a guest country's page from its edition's page, in English and in
Chinese, and axe finds no WCAG 2.2 A/AA violation there."""

import io

import pytest
from django.core.management import call_command

from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("prefix", "section", "guest", "observer", "events"),
    [
        ("", "Guest of honour and observers", "United Kingdom", "Russia", "Events of the observer"),
        ("/zh-hans", "主宾国和观察员国", "英国", "俄罗斯", "观察员国活动"),
    ],
)
def test_guest_pages_are_reached_from_the_edition_page(
    browser, demo, prefix, section, guest, observer, events
):
    browser.get(f"{prefix}/editions/20/")
    browser.wait_for_text(section, "#guests-heading")
    tiles = [tile.text for tile in browser.find_all(".guest-tile h3")]
    assert tiles == [guest, observer]
    assert axe_violations(browser) == []

    browser.click(".guest-tile:nth-child(1) a")
    browser.wait_for_text(guest, "main h1")
    assert browser.path == f"{prefix}/editions/20/guests/gb/"
    assert axe_violations(browser) == []

    browser.get(f"{prefix}/editions/20/")
    browser.click(".guest-tile:nth-child(2) a")
    browser.wait_for_text(observer, "main h1")
    assert browser.path == f"{prefix}/editions/20/guests/ru/"
    assert events in browser.find("#guest-events-heading").text
    assert browser.find_all("#guest-events-heading ~ ul a")
    assert axe_violations(browser) == []
