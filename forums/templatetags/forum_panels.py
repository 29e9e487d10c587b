"""Data for the forum's panels on other apps' pages (dashboard, organisation, delegation),
and the name of a venue's time zone."""

from django import template
from django.utils import timezone

from ciep.models import Edition
from ciep.time_zones import zone_label

from ..models import Registration, Session
from ..permissions import can_propose_sub_venue_event
from ..selectors import delegation_sub_venue_events
from ..selectors import guest_sessions as _guest_sessions
from ..selectors import upcoming_sessions as _upcoming_sessions

register = template.Library()


@register.simple_tag
def upcoming_registrations(user, limit: int = 5):
    """The person's next registrations (confirmed or waiting), soonest first."""
    return list(
        Registration.objects.active()
        .filter(user=user, session__end__gte=timezone.now())
        .select_related("session")
        .order_by("session__start")[:limit]
    )


@register.simple_tag
def organised_sessions(*, organisation=None, delegation=None, limit: int = 10):
    sessions = Session.objects.scheduled().select_related("edition")
    if organisation is not None:
        sessions = sessions.filter(organising_organisation=organisation)
    else:
        sessions = sessions.filter(organising_delegation=delegation)
    return list(sessions.order_by("-start")[:limit])


@register.simple_tag
def upcoming_sessions(edition, limit: int = 4):
    """The sessions the home page shows (``forums.selectors.upcoming_sessions``)."""
    return _upcoming_sessions(edition, limit=limit) if edition else []


@register.simple_tag
def guest_sessions(guest):
    """A guest country's events in its edition (``forums.selectors.guest_sessions``), for
    ``Area.guest_template``."""
    return _guest_sessions(guest.edition, guest.country.code)


@register.simple_tag
def sub_venue_events(delegation):
    """The delegation's proposed sub-venue events with their registrations counted."""
    return list(delegation_sub_venue_events(delegation))


@register.simple_tag
def may_propose_sub_venue_event(user, delegation) -> bool:
    return delegation.edition.status != Edition.Status.CONCLUDED and can_propose_sub_venue_event(
        user, delegation
    )


@register.filter
def zone_name(venue, moment) -> str:
    """The venue's time zone at ``moment``, named in the page's language by the venue's country
    and its offset from UTC ("Germany time, UTC+01:00"): ``ciep.time_zones.zone_label``."""
    return zone_label(venue.time_zone, moment, country=venue.country.code or "")
