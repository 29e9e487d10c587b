"""A negotiation meeting as an iCalendar (.ics) file."""

from icalendar import Calendar, Event, vText

from .models import Meeting


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@ciep"


def meeting_place(meeting: Meeting) -> str:
    """Where the meeting happens, as a calendar's location: the online link, or the booth."""
    slot = meeting.slot
    if slot.mode == slot.Mode.ONLINE:
        return slot.meeting_link
    location = slot.exhibitor.location
    return f"CIEP booth {location.code}" if location else "CIEP"


def meeting_calendar(meeting: Meeting, base_url: str | None, *, status: str | None = None) -> bytes:
    """The meeting as one event, with the same UID through all its changes. ``status``
    overrides the meeting's own (an interpreter taken off a meeting gets it ``CANCELLED``);
    without ``base_url`` the event has no link to the meeting's page (an interpreter, who has
    no account, could not open it)."""
    slot = meeting.slot
    exhibitor = slot.exhibitor
    calendar = Calendar()
    calendar.add("prodid", "-//CIEP//Virtual Exhibition Hall//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"CIEP: {exhibitor.organisation.name_en} – {meeting.requester.name}")
    event.add("location", vText(meeting_place(meeting)))
    if base_url is not None:
        event.add("url", base_url + meeting.get_absolute_url())
    event.add("status", status or meeting.calendar_status)
    event.add("description", meeting.message or "")
    calendar.add_component(event)
    return calendar.to_ical()
