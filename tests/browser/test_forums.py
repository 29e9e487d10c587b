"""A visitor filters the programme, registers, waits, is promoted and downloads the agenda."""

import urllib.request

import pytest
from django.core import mail
from icalendar import Calendar

from forums import services
from forums.models import Registration
from tests.factories import PASSWORD, EditionFactory, UserFactory
from tests.forums.factories import RegistrationFactory, SessionFactory, in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, user):
    browser.get("/accounts/login/")
    browser.fill("input[name=login]", user.email)
    browser.fill("input[name=password]", PASSWORD)
    browser.submit("main form button[type=submit]")
    browser.wait_for_text(user.name, ".user-menu summary")


def test_visitor_registers_waits_is_promoted_and_downloads_agenda(browser, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    edition = EditionFactory(is_current=True)
    SessionFactory(
        edition=edition, title_en="Talent forum", kind="forum", capacity=50, start=in_days(4, 9)
    )
    workshop = SessionFactory(
        edition=edition,
        title_en="Photonics workshop",
        kind="theme_activity",
        capacity=1,
        start=in_days(5, 14),
    )
    holder = RegistrationFactory(session=workshop)
    visitor = UserFactory(name="Sam Taylor")

    sign_in(browser, visitor)
    browser.get("/forum/")
    browser.wait_for_text("2 sessions", ".result-count")
    browser.find("select[name=kind] option[value=theme_activity]").click()
    browser.submit(".programme-filter button[type=submit]")
    browser.wait_for_text("1 session", ".result-count")
    assert "Talent forum" not in browser.text
    browser.click(f"a[href='{workshop.get_absolute_url()}']")

    browser.wait_for_text("0 of 1 left")
    browser.submit(".register-form button[type=submit]")
    browser.wait_for_text("you are on the waiting list")
    assert Registration.objects.get(user=visitor).status == "waiting"

    services.registration_cancel(registration=holder, by=holder.user)
    assert [message.to for message in mail.outbox] == [
        [visitor.email],  # the waiting-list notice
        [visitor.email],  # the promotion, with the QR code
    ]
    assert mail.outbox[1].subject == "[CIEP] A seat has freed up: Photonics workshop"

    browser.get(workshop.get_absolute_url())
    browser.wait_for_text("You are registered (On site).")
    browser.click(".alert-success a")
    browser.find(".ticket-qr svg")

    browser.get("/forum/agenda/")
    browser.wait_for_text("Photonics workshop", ".agenda-table")
    feed_url = browser.find("#feed-url").get_attribute("value")
    with urllib.request.urlopen(feed_url) as response:  # noqa: S310 (the live test server)
        calendar = Calendar.from_ical(response.read())
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Photonics workshop"]
    assert browser.find("a[href$='agenda.ics']").text == "Download my agenda (.ics)"
