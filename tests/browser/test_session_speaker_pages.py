"""A visitor reads a session's page and a speaker's page, on a wide screen and on a phone."""

import pytest

from tests.conftest import image_file
from tests.factories import EditionFactory
from tests.forums.factories import (
    RegistrationFactory,
    SectionFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    VenueFactory,
    in_days,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


@pytest.fixture
def programme():
    edition = EditionFactory(is_current=True)
    section = SectionFactory(edition=edition, name_en="Talent and innovation", name_zh="人才与创新")
    venue = VenueFactory(
        edition=edition,
        name_en="Hall 9",
        name_zh="9号厅",
        kind="domestic",
        city_en="Shenzhen",
        city_zh="深圳",
    )
    session = SessionFactory(
        edition=edition,
        section=section,
        venue=venue,
        kind="forum",
        format="hybrid",
        language="en",
        capacity=2,
        title_en="Global talent for the Greater Bay Area, a forum with a long title",
        title_zh="粤港澳大湾区全球人才论坛",
        abstract_en="How cities attract experts.",
        start=in_days(5, 9),
    )
    RegistrationFactory(session=session, status="confirmed", attendance="on_site")
    RegistrationFactory(session=session, status="confirmed", attendance="on_site")
    RegistrationFactory(session=session, status="waiting", attendance="on_site")
    portrayed = SpeakerFactory(
        name_en="Anna Becker",
        name_zh="安娜·贝克尔",
        title_en="Professor",
        affiliation_en="Technical University of Munich",
        country="DE",
        biography_en="Works on talent mobility.",
        photo=image_file(size=(200, 200)),
    )
    SessionSpeakerFactory(session=session, speaker=portrayed, role="keynote", order=1)
    SessionSpeakerFactory(
        session=session, speaker=SpeakerFactory(name_en="Liu Yang", country="CN"), order=2
    )
    related = SessionFactory(
        edition=edition, section=section, title_en="Matchmaking for start-ups", start=in_days(6)
    )
    SessionSpeakerFactory(session=related, speaker=portrayed)
    return session, related, portrayed


def horizontal_overflow(browser) -> int:
    return browser.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def phone(browser):
    browser.driver.set_window_size(PHONE_WIDTH, 900)
    yield browser
    browser.driver.set_window_size(1280, 1000)


def test_session_page_shows_header_seats_speakers_and_related_sessions(browser, programme):
    session, related, portrayed = programme
    browser.get(session.get_absolute_url())
    browser.wait_for_text("Global talent", "h1")
    assert browser.find(".session-kind").text == "FORUM · TALENT AND INNOVATION"
    flags = [flag.text for flag in browser.find_all(".session-head .flag")]
    assert flags == ["Full", "Hybrid", "Language:\nEnglish"]
    where = browser.find(".fact-where").text
    assert "Hall 9" in where and "Domestic sub-venue · Shenzhen" in where
    panel = browser.find(".session-panel").text
    assert "0 of 2 left" in panel and "1 on the waiting list" in panel
    assert browser.find(".session-panel a.btn-primary").text == "Sign in to join the waiting list"
    cards = browser.find_all(".speaker-card")
    assert [card.find_element("css selector", "h3").text for card in cards] == [
        "Anna Becker",
        "Liu Yang",
    ]
    portrait = cards[0].find_element("css selector", "img.speaker-portrait")
    assert portrait.get_attribute("src").endswith(portrayed.photo_thumbnail.url)
    assert cards[1].find_element("css selector", ".face-initials").text == "LY"
    related_titles = [title.text for title in browser.find_all(".related-sessions h3")]
    assert related_titles == ["Matchmaking for start-ups"]
    panel_box = browser.find(".session-panel").rect
    head_box = browser.find(".session-head").rect
    assert panel_box["x"] > head_box["x"] + head_box["width"] - 1  # beside the header


def test_session_page_fits_a_phone_in_chinese(phone, programme):
    session, _related, _speaker = programme
    phone.get("/zh-hans" + session.get_absolute_url())
    phone.wait_for_text("粤港澳大湾区全球人才论坛", "h1")
    assert [flag.text for flag in phone.find_all(".session-head .flag")] == [
        "已满",
        "线上线下结合",
        "语言:\n英语",
    ]
    head, panel = phone.find(".session-head").rect, phone.find(".session-panel").rect
    assert panel["y"] > head["y"] + head["height"] - 1  # the call to register under the header
    assert horizontal_overflow(phone) == 0


def test_speaker_page_shows_portrait_organisation_country_and_session_cards(browser, programme):
    session, related, speaker = programme
    browser.get(speaker.get_absolute_url())
    browser.wait_for_text("Anna Becker", "h1")
    assert browser.find(".speaker-head img.speaker-photo").get_attribute("alt") == (
        "Photo of Anna Becker"
    )
    assert browser.find(".speaker-role").text == "Professor"
    assert browser.find(".speaker-org").text == "Technical University of Munich"
    assert "DE Germany" in browser.find(".speaker-id").text
    assert browser.find(".speaker-bio").text == "Biography\nWorks on talent mobility."
    titles = [title.text for title in browser.find_all(".speaker-sessions h3")]
    assert titles == [related.title_en, session.title_en]


def test_speaker_page_fits_a_phone_in_chinese(phone, programme):
    _session, _related, speaker = programme
    phone.get("/zh-hans" + speaker.get_absolute_url())
    phone.wait_for_text("安娜·贝克尔", "h1")
    assert "德国" in phone.find(".speaker-id").text
    assert len(phone.find_all(".speaker-sessions .session-card")) == 2
    assert horizontal_overflow(phone) == 0


def test_speaker_without_sessions_or_photo_gets_initials_and_an_empty_state(browser):
    EditionFactory(is_current=True)
    speaker = SpeakerFactory(name_en="Noa Levi")
    browser.get(speaker.get_absolute_url())
    browser.wait_for_text("Noa Levi", "h1")
    assert browser.find(".speaker-head .face-initials").text == "NL"
    assert browser.find(".speaker-bio").text == "Biography\nNo biography yet."
    assert "No sessions yet." in browser.find(".empty-state").text
