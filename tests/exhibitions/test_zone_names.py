"""Booth, meeting and time-zone pages name time zones in the page's language (by country and
offset from UTC), never by their IANA names such as "Asia/Shanghai"."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from exhibitions.models import Meeting

from .factories import MeetingFactory, SlotFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
LANGUAGES = [
    ("", "en", "China time, UTC+08:00", "Germany time, UTC+01:00"),
    ("/zh-hans", "zh-hans", "中国时间，UTC+08:00", "德国时间，UTC+01:00"),
]


def _winter_start():
    """A start next January (Berlin keeps UTC+01:00 then), 10:00 in Berlin."""
    return datetime.datetime(timezone.now().year + 1, 1, 15, 10, tzinfo=BERLIN)


def _shown_text(page: str) -> str:
    """What a reader sees: the page without its tags (and the tags' attributes)."""
    return re.sub(r"<[^>]*>", " ", page)


def _choose_berlin(client, prefix, next_url):
    client.post(
        prefix + reverse("exhibitions:set_timezone"), {"tz": "Europe/Berlin", "next": next_url}
    )


def _berlin_time(language, moment):
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment, BERLIN), "DATETIME_FORMAT")


@pytest.mark.parametrize(("prefix", "language", "china", "germany"), LANGUAGES)
def test_booth_page_names_the_chosen_zone_and_its_choices(
    client, edition, prefix, language, china, germany
):
    slot = SlotFactory(exhibitor__edition=edition, starts_at=_winter_start())
    url = prefix + slot.exhibitor.get_absolute_url()
    _choose_berlin(client, prefix, url)
    page = client.get(url).content.decode()
    assert f"({_berlin_time(language, slot.starts_at)} {germany})" in page
    assert f'<option value="Asia/Shanghai">{china}</option>' in page
    shown = _shown_text(page)
    assert ("Asia/Shanghai" in shown, "Europe/Berlin" in shown) == (False, False)


@pytest.mark.parametrize(("prefix", "language", "china", "germany"), LANGUAGES)
def test_time_zone_page_lists_zones_by_country_and_offset(
    client, edition, prefix, language, china, germany
):
    page = client.get(prefix + reverse("exhibitions:set_timezone"), {"tz": "Asia/Shanghai"})
    page = page.content.decode()
    assert f'<option value="Asia/Shanghai" selected>{china}</option>' in page
    assert '<option value="UTC">UTC+00:00</option>' in page
    assert "Asia/Shanghai" not in _shown_text(page)
    assert "Asia/Tokyo" not in _shown_text(page)


@pytest.mark.parametrize(("prefix", "language", "china", "germany"), LANGUAGES)
def test_meeting_page_and_list_name_the_chosen_zone(
    client, edition, prefix, language, china, germany
):
    start = _winter_start()
    meeting = MeetingFactory(
        slot=SlotFactory(exhibitor__edition=edition, starts_at=start),
        state=Meeting.State.ACCEPTED,
        hold_until=None,
    )
    urls = (meeting.get_absolute_url(), reverse("exhibitions:meeting_list"))
    client.force_login(meeting.requester)
    _choose_berlin(client, prefix, prefix + urls[0])
    for url in urls:
        page = client.get(prefix + url).content.decode()
        assert f"({_berlin_time(language, start)} {germany})" in page
        shown = _shown_text(page)
        assert ("Asia/Shanghai" in shown, "Europe/Berlin" in shown) == (False, False)
