"""The demo's pages, in both languages, break no rule of the Content-Security-Policy."""

import io

import pytest
from django.core.management import call_command

from ciep.models import Edition
from ciep.synthetic.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from exhibitions.models import Exhibitor
from forums.models import Session
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What Chromium writes to the console when a policy refuses something, or cannot read it.
POLICY_MESSAGES = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


def policy_reports(browser):
    """The policy's messages logged since the last call (reading the log empties it)."""
    return [
        entry["message"]
        for entry in browser.driver.get_log("browser")
        if any(words in entry["message"] for words in POLICY_MESSAGES)
    ]


def sign_in(browser, email, totp_secret=None):
    browser.get("/accounts/login/")
    browser.fill("#id_login", email)
    browser.fill("#id_password", DEMO_PASSWORD)
    browser.submit("main form button[type=submit]")
    if totp_secret:
        browser.fill("#id_code", totp_code(totp_secret))
        browser.submit("main form button[type=submit]")
    browser.wait_for_text("My CIEP", "main h1")


def visit(browser, paths):
    """Each page in turn, with the policy's messages it caused: {path: [message, …]}."""
    reports = {}
    for path in paths:
        browser.get(path)
        browser.find("h1")
        reports[path] = policy_reports(browser)
    return {path: messages for path, messages in reports.items() if messages}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_public_pages_in_both_languages_break_no_policy(browser, demo):
    report = Edition.objects.get(is_current=True).number
    booth = Exhibitor.objects.filter(logo__gt="").order_by("pk").first().get_absolute_url()
    session = Session.objects.order_by("pk").first().get_absolute_url()
    paths = [
        "/",
        "/exhibition/",
        booth,
        "/jobs/",
        "/projects/",
        "/forum/",
        session,
        f"/editions/{report}/report/",
        "/accounts/login/",
        "/accounts/signup/",
        "/no-such-page/",
    ]
    browser.driver.get_log("browser")
    assert visit(browser, paths + ["/zh-hans" + path for path in paths]) == {}
    browser.get(f"/zh-hans/editions/{report}/report/")
    assert len(browser.find_all("svg.bar-chart rect.bar")) > 3  # the charts, drawn and styled
    assert browser.find("svg.bar-chart rect.bar").value_of_css_property("fill") != "rgb(0, 0, 0)"
    assert policy_reports(browser) == []


def test_signed_in_pages_two_factor_set_up_and_admin_break_no_policy(browser, demo):
    # The two-factor set-up page (its QR code is a data: image), as a visitor sees it.
    sign_in(browser, "visitor@ciep.example")
    browser.get("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in browser.path:
        browser.fill("#id_password", DEMO_PASSWORD)
        browser.submit("main form button[type=submit]")
    browser.wait_for_text("Activate Authenticator App", "main h1")
    assert browser.find("main img[src^='data:image/svg+xml']").size["width"] > 100
    assert policy_reports(browser) == []
    browser.driver.delete_all_cookies()

    # The back office, as the demo organiser signs in: password, then the authenticator's code.
    sign_in(browser, "organiser@ciep.example", totp_secret=DEMO_TOTP_SECRET)
    browser.driver.get_log("browser")

    edition = Edition.objects.get(is_current=True)
    session = Session.objects.order_by("pk").first()
    paths = [
        "/me/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/zh-hans/accounts/2fa/",
        "/admin/",
        f"/admin/ciep/edition/{edition.pk}/change/",
        f"/admin/forums/session/{session.pk}/change/",
        "/admin/forums/session/add/",
        "/zh-hans/admin/forums/session/",
    ]
    assert visit(browser, paths) == {}


def test_pending_email_change_breaks_no_policy(browser, demo):
    """allauth's page of a pending change hid its form with an inline style; ours does not."""
    sign_in(browser, "visitor@ciep.example")
    browser.get("/accounts/email/")
    browser.fill("#id_email", "visitor.new@ciep.example")
    browser.submit("button[name=action_add]")
    browser.find("form#pending-email")
    browser.driver.get_log("browser")
    assert visit(browser, ["/accounts/email/", "/zh-hans/accounts/email/"]) == {}
    assert not browser.find("form#pending-email").is_displayed()
