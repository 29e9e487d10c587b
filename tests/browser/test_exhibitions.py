import pytest
from django.contrib.auth.models import Permission
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from exhibitions.models import Application, Booth, Exhibitor, Interpreter, Meeting
from tests.conftest import TOTP_SECRET, give_authenticator, totp_code
from tests.exhibitions.factories import BoothFactory, HallFactory, SlotFactory
from tests.factories import PASSWORD, EditionFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, user, totp_secret=None):
    browser.driver.delete_all_cookies()
    browser.get("/accounts/login/")
    browser.fill("#id_login", user.email)
    browser.fill("#id_password", PASSWORD)
    browser.submit("main form button[type=submit]")
    if totp_secret:
        # allauth's second step: the code the authenticator app shows now.
        browser.fill("#id_code", totp_code(totp_secret))
        browser.submit("main form button[type=submit]")
    browser.wait_for_text("My CIEP", "main h1")


def admin_action(browser, changelist, action):
    browser.get(changelist)
    browser.click("#result_list input.action-select")
    Select(browser.find("select[name=action]")).select_by_value(action)
    browser.click("button[name=index]")


def test_apply_approve_assign_then_visitor_finds_and_books(browser):
    edition = EditionFactory(is_current=True)
    hall = HallFactory(edition=edition, code="A", name_en="Technology hall")
    booth = BoothFactory(hall=hall, code="A-101")
    membership = MembershipFactory(
        organisation__name_en="Nordic Photonics", organisation__name_zh="北欧光子", role="admin"
    )
    organiser = UserFactory(organiser=True)
    # Transactional tests flush the data migrations' rows: grant the Organisers again.
    organiser.groups.get().permissions.add(
        *Permission.objects.filter(content_type__app_label="exhibitions")
    )
    give_authenticator(organiser)
    visitor = UserFactory(name="Sam Taylor")

    # The organisation's admin applies, asking for the technology hall.
    sign_in(browser, membership.user)
    browser.get("/exhibition/apply/")
    Select(browser.find("#id_hall")).select_by_visible_text(str(hall))
    browser.fill("#id_size_m2", "12")
    browser.fill("#id_description_en", "Lasers and photonic chips.")
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("Submitted, awaiting a decision")
    application = Application.objects.get()

    # An organiser approves the application and assigns a booth in the back office.
    sign_in(browser, organiser, totp_secret=TOTP_SECRET)
    admin_action(browser, "/admin/exhibitions/application/", "approve")
    browser.wait_for_text("1 applications approved.")
    admin_action(browser, "/admin/exhibitions/exhibitor/", "assign_booth")
    Select(browser.find("#id_booth")).select_by_visible_text("A-101")
    browser.click("button[name=apply]")
    browser.wait_for_text("Booth A-101 assigned to Nordic Photonics.")
    booth.refresh_from_db()
    exhibitor = Exhibitor.objects.get()
    assert (booth.state, booth.exhibitor, exhibitor.application) == (
        Booth.State.ASSIGNED,
        exhibitor,
        application,
    )
    slot = SlotFactory(exhibitor=exhibitor)

    # A visitor finds the exhibitor in the catalogue (by its Chinese name) and books.
    sign_in(browser, visitor)
    browser.get("/exhibition/")
    browser.fill("#id_q", "北欧")
    browser.submit(".catalogue-filters button[type=submit]")
    browser.wait_for_text("1 exhibitor")
    browser.click(".exhibitor-cards a")
    browser.wait_for_text("Nordic Photonics", "main h1")
    assert "A-101" in browser.text
    browser.click(f"a[href$='/slots/{slot.pk}/request/']")
    browser.click("#id_languages_0")  # English
    browser.click("#id_interpreter_requested")
    browser.fill("#id_message", "We would like to discuss a joint laboratory.")
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("Requested", ".meeting-state")
    meeting = Meeting.objects.get()
    assert (meeting.requester, meeting.slot, meeting.state) == (visitor, slot, "requested")
    assert (meeting.languages, meeting.interpreter_requested) == ("en", True)
    assert browser.driver.find_element(By.CSS_SELECTOR, "a[href$='calendar.ics']")


def test_an_anonymous_visitor_chooses_a_time_zone_from_a_cached_booth_page(browser):
    edition = EditionFactory(is_current=True)
    slot = SlotFactory(exhibitor__edition=edition)
    booth_page = slot.exhibitor.get_absolute_url()
    browser.driver.delete_all_cookies()
    browser.get(booth_page)
    browser.get(booth_page)  # the page cache's copy, shared by every anonymous visitor
    Select(browser.find("#id_tz")).select_by_value("Europe/Berlin")
    browser.submit("form.small button[type=submit]")
    # The time-zone page holds this browser's CSRF token and posts the choice.
    browser.wait_for_text("Your time zone", "main h1")
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("Germany time", "main aside")
    assert browser.path == booth_page
    # The booth page now posts a new choice at once.
    Select(browser.find("#id_tz")).select_by_value("Asia/Tokyo")
    browser.submit("form.small button[type=submit]")
    browser.wait_for_text("Japan time", "main aside")
    assert browser.path == booth_page


def test_organiser_assigns_an_interpreter_and_both_sides_see_it(browser):
    edition = EditionFactory(is_current=True)
    membership = MembershipFactory(organisation__name_en="Shenzhen Optics", role="admin")
    staff = membership.user
    slot = SlotFactory(exhibitor__edition=edition, exhibitor__organisation=membership.organisation)
    slot.exhibitor.languages = "zh"
    slot.exhibitor.save()
    visitor = UserFactory(name="Sam Taylor")
    meeting = Meeting.objects.create(
        slot=slot,
        requester=visitor,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        languages="en",
        interpreter_requested=True,
        state=Meeting.State.ACCEPTED,
    )
    Interpreter.objects.create(name="Anna Li", email="anna@example.org", languages="en,zh")
    organiser = UserFactory(organiser=True)
    organiser.groups.get().permissions.add(
        *Permission.objects.filter(content_type__app_label="exhibitions")
    )
    give_authenticator(organiser)

    # The visitor's list flags the meeting, here in Chinese.
    sign_in(browser, visitor)
    browser.get("/zh-hans/exhibition/meetings/")
    browser.wait_for_text("没有共同语言", ".meeting-language-mismatch")
    assert "已申请翻译" in browser.text

    # The organiser finds it among the meetings without a shared language and assigns Anna.
    sign_in(browser, organiser, totp_secret=TOTP_SECRET)
    browser.get("/admin/exhibitions/meeting/?shared_language=no")
    browser.click("#result_list input.action-select")
    Select(browser.find("select[name=action]")).select_by_value("assign_interpreter")
    browser.click("button[name=index]")
    Select(browser.find("#id_interpreter")).select_by_visible_text("Anna Li (English, Chinese)")
    browser.click("button[name=apply]")
    browser.wait_for_text("Anna Li interprets the meeting of")
    meeting.refresh_from_db()
    assert meeting.interpreter.name == "Anna Li"

    # The exhibitor's staff see who interprets, on their list and on the meeting's page.
    sign_in(browser, staff)
    browser.get("/exhibition/meetings/")
    browser.wait_for_text("interpreter: Anna Li", "main table")
    assert "No shared language" in browser.text
    browser.get(meeting.get_absolute_url())
    browser.wait_for_text("Anna Li", ".meeting-interpreter")
    assert "Ask for an interpreter" not in browser.text
