"""A visitor switches the programme to the grid by venue and filters it by venue."""

import pytest

from tests.factories import EditionFactory
from tests.forums.factories import SessionFactory, VenueFactory, in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_opens_the_grid_and_filters_it_by_venue(browser):
    edition = EditionFactory(is_current=True)
    main = VenueFactory(edition=edition, name_en="Main hall", order=1)
    studio = VenueFactory(edition=edition, name_en="Studio", order=2)
    SessionFactory(edition=edition, venue=main, title_en="Opening", start=in_days(3, 9))
    SessionFactory(edition=edition, venue=studio, title_en="Studio talk", start=in_days(3, 9))

    browser.get("/forum/")
    browser.wait_for_text("2 sessions", ".result-count")
    assert browser.find_all(".programme-grid") == []
    browser.click(".view-switch a[href='?view=grid']")
    browser.wait_for_text("Studio", ".programme-grid thead")
    headers = [cell.text for cell in browser.find_all(".programme-grid thead th")]
    assert headers == ["Time", "Main hall", "Studio"]

    browser.find(f"select[name=venue] option[value='{studio.pk}']").click()
    browser.submit(".programme-filter button[type=submit]")
    browser.wait_for_text("1 session", ".result-count")
    headers = [cell.text for cell in browser.find_all(".programme-grid thead th")]
    assert headers == ["Time", "Studio"]
    assert "Opening" not in browser.text
    assert "view=grid" in browser.path
