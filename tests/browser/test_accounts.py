import re

import pytest
from django.core import mail

from ciep.models import User
from tests.factories import PASSWORD, EditionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signup_confirm_login_and_switch_language(browser):
    edition = EditionFactory(is_current=True)

    browser.get("/accounts/signup/")
    browser.fill("#id_email", "amira.haddad@example.org")
    browser.fill("#id_name", "Amira Haddad")
    browser.click("input[name=came_as][value=talent]")
    browser.fill("#id_password1", PASSWORD)
    browser.fill("#id_password2", PASSWORD)
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("amira.haddad@example.org")
    assert User.objects.get(email="amira.haddad@example.org").came_as == "talent"

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    browser.get(link.split("/accounts/", 1)[1].join(["/accounts/", ""]))
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("My CIEP", "main h1")
    browser.click(".user-menu summary")
    browser.submit("form[action$='/accounts/logout/'] button[type=submit]")
    browser.wait_for_text("Sign in", ".nav-tools")

    browser.get("/accounts/login/")
    browser.fill("#id_login", "amira.haddad@example.org")
    browser.fill("#id_password", PASSWORD)
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("Welcome, Amira Haddad.")

    browser.get(edition.get_absolute_url())
    browser.wait_for_text(edition.title_en, "main h1")
    browser.click(".language-switcher a")
    browser.wait_for_text(edition.title_zh, "main h1")
    assert browser.path == f"/zh-hans/editions/{edition.number}/"
    assert "历届大会" in browser.text
    browser.click(".language-switcher a")
    browser.wait_for_text(edition.title_en, "main h1")
    assert browser.path == f"/editions/{edition.number}/"


def test_user_menu_closes_with_escape_and_a_click_outside(browser):
    from selenium.webdriver.common.keys import Keys

    from tests.factories import UserFactory

    UserFactory(email="lin@example.org", name="Lin Xiao")
    browser.get("/accounts/login/")
    browser.fill("#id_login", "lin@example.org")
    browser.fill("#id_password", PASSWORD)
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("Lin Xiao", ".user-menu summary")

    def is_open():
        return browser.find(".user-menu").get_attribute("open") is not None

    browser.click(".user-menu summary")
    assert is_open()
    browser.find(".user-menu summary").send_keys(Keys.ESCAPE)
    assert not is_open()
    assert browser.driver.switch_to.active_element == browser.find(".user-menu summary")
    browser.click(".user-menu summary")
    assert is_open()
    browser.click("main h1")
    assert not is_open()
