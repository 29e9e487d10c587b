"""Data for the forum's panels on other apps' pages (dashboard, organisation, delegation)."""

from django import template
from django.utils import timezone

from ..models import Registration, Session
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
