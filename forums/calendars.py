"""iCalendar (.ics) files: a session, an edition's programme, a person's agenda and feed."""

from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event

from ciep.mail import site_url

from .selectors import session_uid


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//CIEP//Shenzhen Forum//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(uid: str, start: datetime, end: datetime, title: str, url: str, **extra) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("summary", str(title))
    event.add("url", url if url.startswith("http") else site_url() + url)
    for key, value in extra.items():
        if value:
            event.add(key, str(value))
    return event


def session_event(session, status: str | None = None) -> Event:
    """A session as a calendar event; ``status`` is the person's (a waiting-list place is
    ``TENTATIVE``), else the session's own."""
    if session.is_cancelled or status is None:
        status = "CANCELLED" if session.is_cancelled else "CONFIRMED"
    return _event(
        session_uid(session),
        session.start,
        session.end,
        session.title,
        session.get_absolute_url(),
        description=session.abstract,
        location=session.venue.name if session.venue_id else "",
        status=status,
    )


def sessions_calendar(name: str, sessions) -> bytes:
    calendar = _calendar(name)
    for session in sessions:
        calendar.add_component(session_event(session))
    return calendar.to_ical()


def agenda_calendar(name: str, items) -> bytes:
    """A person's agenda: what they registered for (``CONFIRMED``), are waiting for or
    bookmarked (``TENTATIVE``, shown as free time) and other areas' items, with what was
    cancelled lately as ``CANCELLED`` under the same UID, so subscribed calendars update."""
    calendar = _calendar(name)
    for item in items:
        if item.session is not None:
            event = session_event(item.session, item.status)
        else:
            event = _event(
                item.uid,
                item.start,
                item.end,
                item.title,
                item.url,
                location=item.location,
                status=item.status,
            )
        if item.kind == "bookmark":
            event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def ics_response(content: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
