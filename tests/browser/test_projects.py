"""A delegation representative finds a project and submits an intention; the owner confirms
it; an organiser records the signed agreement."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from projects.models import Intention
from tests.conftest import give_authenticator, totp_code
from tests.factories import (
    PASSWORD,
    DelegationMemberFactory,
    FieldFactory,
    MembershipFactory,
    UserFactory,
)
from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click(browser, css):
    element = browser.find(css)
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def sign_in(browser, user):
    browser.driver.delete_all_cookies()
    browser.get("/accounts/login/")
    browser.fill("#id_login", user.email)
    browser.fill("#id_password", PASSWORD)
    browser.submit("main form button[type=submit]")
    if user.is_staff:
        # Organisers sign in with their second factor: the code their app shows now.
        browser.fill("#id_code", totp_code())
        browser.submit("main form button[type=submit]")
    browser.wait_for_text(user.name, ".user-menu summary")


def test_intention_from_search_to_signed_agreement(browser, delegation):
    representative = DelegationMemberFactory(delegation=delegation).user
    owner = MembershipFactory(role="staff")
    organiser = UserFactory(organiser=True)
    give_authenticator(organiser)
    ProjectFactory(
        edition=delegation.edition,
        organisation=owner.organisation,
        title_en="Biomedical photonics imaging",
        title_zh="生物医学光子成像",
        fields=[FieldFactory()],
        cooperation_types=["joint_rd"],
    )
    ProjectFactory(edition=delegation.edition, title_en="Fintech ledger")

    sign_in(browser, representative)
    browser.get("/projects/")
    browser.fill("#id_q", "光子")
    browser.find("#id_q").submit()
    browser.wait_for_text("1 project", "#results-heading")
    assert "Fintech ledger" not in browser.text
    browser.driver.find_element(By.LINK_TEXT, "Biomedical photonics imaging").click()
    click(browser, "a[href*='/projects/intentions/new/']")
    browser.fill("#id_description_en", "A joint laboratory for photonic imaging in our province.")
    click(browser, "main form button[type=submit]")
    browser.wait_for_text("Your intention has been submitted.")
    intention = Intention.objects.get()
    assert (intention.delegation, intention.state) == (delegation, "submitted")

    sign_in(browser, owner.user)
    browser.get(intention.get_absolute_url())
    click(browser, "button[value='confirmed']")
    browser.wait_for_text("The intention is now “Confirmed”.")

    sign_in(browser, organiser)
    browser.get(intention.get_absolute_url())
    click(browser, "a[href$='/sign/']")
    date_input = browser.find("#id_signed_on")
    browser.driver.execute_script(
        "arguments[0].value = arguments[1];", date_input, timezone.localdate().isoformat()
    )
    browser.fill("#id_place_en", "Signing ceremony of the edition")
    click(browser, "main form button[type=submit]")
    browser.wait_for_text("The signed agreement has been recorded.")
    intention.refresh_from_db()
    assert (intention.state, intention.signed_on, intention.signed_place_en) == (
        "signed",
        timezone.localdate(),
        "Signing ceremony of the edition",
    )
    assert list(intention.events.values_list("to_state", flat=True)) == [
        "submitted",
        "confirmed",
        "signed",
    ]
