"""A negotiation meeting as an iCalendar (.ics) file."""

from icalendar import Calendar, Event, vText

from .models import Meeting


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@ciep"


def meeting_calendar(meeting: Meeting, base_url: str) -> bytes:
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
    if slot.mode == slot.Mode.ONLINE:
        event.add("location", vText(slot.meeting_link))
    else:
        location = exhibitor.location
        event.add("location", vText(f"CIEP booth {location.code}" if location else "CIEP"))
    event.add("url", base_url + meeting.get_absolute_url())
    event.add("status", meeting.calendar_status)
    event.add("description", meeting.message or "")
    calendar.add_component(event)
    return calendar.to_ical()
