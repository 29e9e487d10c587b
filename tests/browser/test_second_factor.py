import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_sets_up_a_second_factor_then_reaches_the_back_office(browser):
    organiser = UserFactory(organiser=True)
    browser.get("/accounts/login/")
    browser.fill("#id_login", organiser.email)
    browser.fill("#id_password", PASSWORD)
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("My CIEP", "main h1")

    # The back office sends an organiser without an authenticator to set one up.
    browser.get("/admin/")
    browser.wait_for_text("The organisers' back office needs a second factor.")
    if browser.path.startswith("/accounts/reauthenticate/"):  # allauth confirms the password
        browser.fill("#id_password", PASSWORD)
        browser.submit("main form button[type=submit]")
    secret = browser.find("#authenticator_secret").get_attribute("value")
    browser.fill("#id_code", totp_code(secret))
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("Recovery Codes", "main h1")
    assert Authenticator.objects.filter(user=organiser, type="totp").count() == 1

    browser.get("/admin/")
    browser.wait_for_text("CIEP organisers' back office")
    assert browser.path == "/admin/"
