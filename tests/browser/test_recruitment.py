import re

import pytest
from django.core import mail
from selenium.webdriver.support.ui import Select

from recruitment import services
from recruitment.models import Application, TalentProfile
from tests.factories import PASSWORD, EditionFactory, FieldFactory, MembershipFactory
from tests.recruitment.factories import JobPostingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(browser, css):
    """Click an element after scrolling it into view (long forms push buttons off-screen)."""
    element = browser.find(css)
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    browser.driver.execute_script("arguments[0].click();", element)


def test_talent_signs_up_fills_profile_finds_job_applies_and_is_shortlisted(browser):
    EditionFactory(is_current=True)
    photonics = FieldFactory(slug="photonics", name_en="Photonics", name_zh="光子学")
    employer = MembershipFactory(role="staff")
    wanted = JobPostingFactory(
        organisation=employer.organisation,
        title_en="Laser scientist",
        field=photonics,
        remote=True,
        work_permit="A",
    )
    JobPostingFactory(title_en="Laser technician", remote=False)
    JobPostingFactory(title_en="Accountant", remote=True)

    browser.get("/accounts/signup/")
    browser.fill("#id_email", "elena@example.org")
    browser.fill("#id_name", "Elena Sokolova")
    press(browser, "input[name=came_as][value=talent]")
    browser.fill("#id_password1", PASSWORD)
    browser.fill("#id_password2", PASSWORD)
    press(browser, "main form button[type=submit]")
    browser.wait_for_text("elena@example.org")
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    browser.get("/accounts/" + link.split("/accounts/", 1)[1])
    press(browser, "main form button[type=submit]")
    browser.wait_for_text("My CIEP", "main h1")

    browser.get("/jobs/profile/")
    browser.fill("#id_headline", "Photonics researcher")
    Select(browser.find("#id_nationality")).select_by_value("RU")
    press(browser, f"input[name=fields][value='{photonics.pk}']")
    Select(browser.find("#id_degree")).select_by_value("4")
    browser.fill("#id_experience_years", "12")
    Select(browser.find("#id_languages-0-language")).select_by_value("en")
    Select(browser.find("#id_languages-0-level")).select_by_value("fluent")
    press(browser, "main form button[type=submit]")
    browser.wait_for_text("Your talent profile has been saved.")
    assert TalentProfile.objects.get(user__email="elena@example.org").headline == (
        "Photonics researcher"
    )

    browser.get("/jobs/")
    browser.fill("#id_q", "laser")
    press(browser, "#id_remote")
    press(browser, "form.filter-panel button[type=submit]")
    browser.wait_for_text("1 job", "#results-heading")
    assert "Laser technician" not in browser.text and "Accountant" not in browser.text
    assert "remote=on" in browser.path and "q=laser" in browser.path
    press(browser, f"a[href='/jobs/{wanted.pk}/']")
    browser.wait_for_text("Laser scientist", "main h1")
    press(browser, f"a[href='/jobs/{wanted.pk}/apply/']")
    browser.fill("#id_cover_letter", "I build lasers for medicine.")
    press(browser, "main form button[type=submit]")
    browser.wait_for_text("Your application has been sent.")
    application = Application.objects.get()
    assert (application.posting, application.state) == (wanted, "submitted")

    services.application_shortlist(application=application, by=employer.user)
    browser.get("/jobs/applications/")
    browser.wait_for_text("Shortlisted", "main table")
    assert mail.outbox[-1].to == ["elena@example.org"]
    assert "Shortlisted" in mail.outbox[-1].subject
