"""Negotiation meetings in a person's agenda, its calendar file and its private feed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from exhibitions.models import Meeting
from forums.models import CalendarFeed
from tests.exhibitions.factories import MeetingFactory, SlotFactory, exhibitor_with_staff
from tests.factories import UserFactory
from tests.forums.factories import BookmarkFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _events(content: bytes) -> dict[str, tuple[str, str]]:
    return {
        str(event["UID"]): (str(event["SUMMARY"]), str(event["STATUS"]))
        for event in Calendar.from_ical(content).walk("VEVENT")
    }


@pytest.fixture
def meeting_time():
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)


def test_agenda_shows_meetings_of_both_sides_with_clashes_against_sessions(client, meeting_time):
    exhibitor, staff = exhibitor_with_staff()
    visitor = UserFactory(name="Ana López")
    slot = SlotFactory(exhibitor=exhibitor, starts_at=meeting_time)
    MeetingFactory(slot=slot, requester=visitor, state=Meeting.State.ACCEPTED)
    session = SessionFactory(
        title_en="Opening", start=meeting_time, end=meeting_time + datetime.timedelta(hours=1)
    )
    RegistrationFactory(session=session, user=visitor)
    MeetingFactory(requester=UserFactory())  # someone else's

    client.force_login(visitor)
    items = client.get(reverse("forums:agenda")).context["items"]
    client.force_login(staff)
    staff_items = client.get(reverse("forums:agenda")).context["items"]

    name = exhibitor.organisation.name_en
    assert [(i.title, i.kind, i.label, [o.title for o in i.clashes]) for i in items] == [
        (f"Negotiation with {name}", "other", "Meeting accepted", ["Opening"]),
        ("Opening", "registration", "", [f"Negotiation with {name}"]),
    ]
    assert [(i.title, i.label) for i in staff_items] == [
        ("Negotiation with Ana López", "Meeting accepted")
    ]


def test_agenda_calendar_says_what_each_item_is(client, meeting_time):
    user = UserFactory()
    confirmed = RegistrationFactory(user=user).session
    waiting = RegistrationFactory(user=user, status="waiting").session
    bookmarked = BookmarkFactory(user=user).session
    dropped = RegistrationFactory(user=user, status="cancelled").session
    called_off = RegistrationFactory(user=user).session
    called_off.status = called_off.Status.CANCELLED
    called_off.save()
    requested = MeetingFactory(requester=user)
    declined = MeetingFactory(requester=user, state=Meeting.State.DECLINED)

    client.force_login(user)
    events = _events(client.get(reverse("forums:agenda_ics")).content)
    page = client.get(reverse("forums:agenda")).context["items"]

    def uid(session):
        return f"forum-session-{session.pk}@ciep.example"

    organisation = requested.slot.exhibitor.organisation.name_en
    assert {key: status for key, (_title, status) in events.items()} == {
        uid(confirmed): "CONFIRMED",
        uid(waiting): "TENTATIVE",
        uid(bookmarked): "TENTATIVE",
        uid(dropped): "CANCELLED",
        uid(called_off): "CANCELLED",
        f"meeting-{requested.pk}@ciep": "TENTATIVE",
        f"meeting-{declined.pk}@ciep": "CANCELLED",
    }
    assert events[f"meeting-{requested.pk}@ciep"][0] == f"Negotiation with {organisation}"
    assert {item.uid for item in page} == {
        uid(confirmed),
        uid(waiting),
        uid(bookmarked),
        f"meeting-{requested.pk}@ciep",
    }


def test_private_feed_carries_a_meeting_and_its_cancellation_under_one_uid(client):
    user = UserFactory()
    meeting = MeetingFactory(requester=user, state=Meeting.State.ACCEPTED)
    client.force_login(user)
    client.get(reverse("forums:agenda"))
    feed = reverse("forums:agenda_feed", args=[CalendarFeed.objects.get(user=user).token])
    client.logout()

    before = _events(client.get(feed).content)
    meeting.state = Meeting.State.CANCELLED
    meeting.save()
    after = _events(client.get(feed).content)

    uid = f"meeting-{meeting.pk}@ciep"
    assert before[uid][1] == "CONFIRMED"
    assert after[uid][1] == "CANCELLED"


def test_declined_meeting_downloads_as_cancelled_and_offers_no_calendar_link(client):
    meeting = MeetingFactory(state=Meeting.State.DECLINED)
    client.force_login(meeting.requester)

    page = client.get(meeting.get_absolute_url()).content.decode()
    download = client.get(reverse("exhibitions:meeting_ics", args=[meeting.pk]))

    assert reverse("exhibitions:meeting_ics", args=[meeting.pk]) not in page
    assert _events(download.content)[f"meeting-{meeting.pk}@ciep"][1] == "CANCELLED"


def test_agenda_and_calendar_say_where_a_meeting_is(client, meeting_time):
    from .factories import BoothFactory

    exhibitor, _staff = exhibitor_with_staff()
    BoothFactory(exhibitor=exhibitor, state="assigned", code="C-7", hall__edition=exhibitor.edition)
    visitor = UserFactory()
    on_site = SlotFactory(exhibitor=exhibitor, starts_at=meeting_time, mode="on_site")
    online = SlotFactory(exhibitor=exhibitor, starts_at=meeting_time + datetime.timedelta(hours=2))
    for slot in (on_site, online):
        MeetingFactory(slot=slot, requester=visitor, state=Meeting.State.ACCEPTED)
    client.force_login(visitor)
    page = client.get(reverse("forums:agenda")).content.decode()
    assert "Booth C-7" in page
    content = client.get(reverse("forums:agenda_ics")).content
    locations = [str(e["LOCATION"]) for e in Calendar.from_ical(content).walk("VEVENT")]
    assert locations == ["Booth C-7", "Online"]
    page = client.get("/zh-hans" + reverse("forums:agenda")).content.decode()
    assert "展位 C-7" in page
