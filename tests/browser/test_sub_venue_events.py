"""A delegation's head proposes a sub-venue event in Chinese; once approved it is in the
programme, in both languages, with its local time abroad."""

import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from ciep.models import DelegationMember
from forums import services
from forums.models import SubVenueEvent
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_forums import sign_in
from tests.factories import DelegationFactory, DelegationMemberFactory, UserFactory
from tests.forums.factories import SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(browser, name, value):
    Select(browser.find(f"select[name={name}]")).select_by_value(value)


def set_value(browser, name, value):
    """Date and time inputs take typed text in the browser's locale: set their value."""
    element = browser.find(f"input[name={name}]")
    browser.driver.execute_script("arguments[0].value = arguments[1];", element, value)


def test_head_proposes_in_chinese_and_sees_it_in_the_programme(browser, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delegation = DelegationFactory(name_en="Zhuhai City", name_zh="珠海市", kind="city")
    edition = delegation.edition
    edition.is_current = True
    edition.save()
    section = SectionFactory(
        edition=edition, name_en="Domestic and Foreign Sub-venues", name_zh="国内外分会场"
    )
    head = DelegationMemberFactory(
        delegation=delegation, role=DelegationMember.Role.HEAD, user__name="Wang Fang"
    ).user
    day = datetime.date(datetime.date.today().year + 1, 1, 15)  # winter: Berlin is UTC+1

    sign_in(browser, head)
    browser.get(f"/zh-hans/delegations/{delegation.pk}/manage/")
    browser.wait_for_text("贵代表团尚未提议任何分会场活动。")
    browser.click("a[href$='/sub-venue-events/new/']")
    browser.wait_for_text("提议分会场活动", "h1")
    browser.fill("input[name=title_en]", "Berlin talent matchmaking")
    browser.fill("input[name=title_zh]", "柏林人才对接会")
    choose(browser, "section", str(section.pk))
    choose(browser, "kind", "matchmaking")
    browser.fill("input[name=venue_name_en]", "Berlin sub-venue")
    browser.fill("input[name=venue_name_zh]", "柏林分会场")
    browser.fill("input[name=city_en]", "Berlin")
    browser.fill("input[name=city_zh]", "柏林")
    choose(browser, "country", "DE")
    choose(browser, "time_zone", "Europe/Berlin")
    set_value(browser, "date", day.isoformat())
    set_value(browser, "start_time", "10:00")
    set_value(browser, "end_time", "09:00")
    browser.fill("input[name=capacity]", "30")
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("活动的结束时间必须晚于开始时间。")
    assert SubVenueEvent.objects.count() == 0
    assert axe_violations(browser) == []
    set_value(browser, "end_time", "12:00")
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("您的提议已保存，组委会将进行审核。")
    assert "待审核" in browser.text

    event = SubVenueEvent.objects.get()
    session = services.sub_venue_event_approve(event=event, by=UserFactory(organiser=True)).session
    browser.get(f"/delegations/{delegation.pk}/manage/")
    browser.wait_for_text("Approved into the programme")
    assert "0 of 30 seats, 0 waiting" in browser.text
    assert axe_violations(browser) == []

    browser.get("/forum/")
    browser.wait_for_text("Berlin talent matchmaking")
    browser.click(f"a[href='{session.get_absolute_url()}']")
    browser.wait_for_text("10:00–12:00")
    assert "local time in Berlin; Germany time, UTC+01:00" in browser.text
    assert "17:00" in browser.find("main").text  # Beijing time
    browser.get("/zh-hans" + session.get_absolute_url())
    browser.wait_for_text("柏林人才对接会", "h1")
    assert "柏林当地时间" in browser.text and "德国时间，UTC+01:00" in browser.text
    browser.find("form.register-form button[type=submit]")
    assert browser.driver.find_elements(By.CSS_SELECTOR, ".register-form")
