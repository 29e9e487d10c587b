import pytest

from ciep.models import Attendance
from tests.factories import DelegationFactory, EditionFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_page_in_both_languages(browser):
    edition = EditionFactory(guest_of_honour="GB", observers=["RU"])
    delegation = DelegationFactory(edition=edition)
    delegation.organisations.add(
        OrganisationFactory(country="GB"), OrganisationFactory(country="CN")
    )
    Attendance.objects.create(edition=edition, name="A", role="expert", country="DE")

    browser.get(f"/editions/{edition.number}/report/")
    browser.wait_for_text("Facts and figures", "main h1")
    assert browser.find("[data-key=organisations]").text == "2"
    assert browser.find("[data-key=foreign_experts]").text == "1"
    assert "Guest of honour: United Kingdom." in browser.text
    chart = browser.find("svg.bar-chart[role=img]")
    assert "Organisations by country or region" in chart.get_attribute("innerHTML")

    browser.click(".language-switcher a")
    browser.wait_for_text("数据统计", "main h1")
    assert browser.path == f"/zh-hans/editions/{edition.number}/report/"
    assert browser.find("[data-key=organisations]").text == "2"
    assert "主宾国：英国。" in browser.text
    assert "按国家或地区统计的机构" in browser.text
