"""The forum's figures for the edition report, computed by the database."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from ciep.bilingual import is_chinese
from ciep.models import Edition, Organisation

from .models import SUB_VENUE_KINDS, Registration, Session, SessionSpeaker, Venue

LABELS = {
    "events": _("Forums and activities held"),
    "registrations": _("Session registrations"),
    "waiting_list": _("On waiting lists"),
    "session_check_ins": _("Session check-ins"),
    "live_views": _("Live-stream views"),
    "replay_views": _("Replay views"),
    "speakers": _("Speakers"),
    "events_by_section": _("Events by section"),
    "attendance_by_day": _("Attendance by day"),
    "attendance_basis": _("Attendance by day counts"),
    "sub_venue_events": _("Sub-venue events"),
    "sub_venue_events_domestic": _("Events at domestic sub-venues"),
    "sub_venue_events_foreign": _("Events at foreign sub-venues"),
    "sub_venue_events_by_delegation": _("Sub-venue events by delegation"),
}


ITEM_CHOICES = {
    "attendance_basis": {
        "check_ins": _("check-ins"),
        "registrations": _("confirmed registrations"),
    }.get,
}


def edition_figures(edition: Edition) -> dict:
    """Sessions, registrations, attendance, stream views and speakers of ``edition``.

    ``attendance_by_day`` maps each session day (ISO date, China time) to the check-ins of
    that day's sessions; when nobody has been checked in for the edition (an online edition),
    it counts the confirmed registrations instead, and ``attendance_basis`` says which
    ("check_ins" or "registrations").
    """
    sessions = Session.objects.for_edition(edition).scheduled()
    registrations = Registration.objects.filter(session__in=sessions)
    counts = registrations.aggregate(
        registrations=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting_list=Count("id", filter=Q(status=Registration.Status.WAITING)),
        check_ins=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    views = sessions.aggregate(live_views=Sum("live_views"), replay_views=Sum("replay_views"))
    speakers = (
        SessionSpeaker.objects.filter(session__in=sessions).values("speaker").distinct().count()
    )
    by_section = (
        sessions.values("section__name_en", "section__name_zh", "section__order")
        .annotate(count=Count("id"))
        .order_by("section__order", "section__name_en")
    )
    basis = "check_ins" if counts["check_ins"] else "registrations"
    attended = (
        registrations.filter(checked_in_at__isnull=False)
        if basis == "check_ins"
        else registrations.filter(status=Registration.Status.CONFIRMED)
    )
    by_day = (
        attended.annotate(day=TruncDate("session__start"))
        .values("day")
        .annotate(count=Count("id"))
        .order_by("day")
    )
    return {
        "events": sessions.count(),
        "registrations": counts["registrations"],
        "waiting_list": counts["waiting_list"],
        "session_check_ins": counts["check_ins"],
        "live_views": views["live_views"] or 0,
        "replay_views": views["replay_views"] or 0,
        "speakers": speakers,
        "events_by_section": {
            (
                row["section__name_zh"] or row["section__name_en"]
                if is_chinese()
                else row["section__name_en"]
            ): row["count"]
            for row in by_section
        },
        "attendance_by_day": {row["day"].isoformat(): row["count"] for row in by_day},
        "attendance_basis": basis,
        **sub_venue_figures(sessions),
    }


def sub_venue_figures(sessions) -> dict:
    """The scheduled events held at domestic and foreign sub-venues, and per organising
    delegation, named in the page's language (events no delegation organises count in the
    totals only)."""
    at_sub_venues = sessions.filter(venue__kind__in=SUB_VENUE_KINDS)
    counts = at_sub_venues.aggregate(
        domestic=Count("id", filter=Q(venue__kind=Venue.Kind.DOMESTIC)),
        foreign=Count("id", filter=Q(venue__kind=Venue.Kind.FOREIGN)),
    )
    by_delegation = (
        at_sub_venues.filter(organising_delegation__isnull=False)
        .values("organising_delegation__name_en", "organising_delegation__name_zh")
        .annotate(count=Count("id"))
        .order_by("-count", "organising_delegation__name_en")
    )
    return {
        "sub_venue_events": counts["domestic"] + counts["foreign"],
        "sub_venue_events_domestic": counts["domestic"],
        "sub_venue_events_foreign": counts["foreign"],
        "sub_venue_events_by_delegation": {
            (
                row["organising_delegation__name_zh"] or row["organising_delegation__name_en"]
                if is_chinese()
                else row["organising_delegation__name_en"]
            ): row["count"]
            for row in by_delegation
        },
    }


def participating_organisation_ids(edition: Edition) -> set[int]:
    """Organisations that organise at least one (not cancelled) session of ``edition``."""
    return set(
        Organisation.objects.filter(
            forum_sessions__edition=edition,
            forum_sessions__status=Session.Status.SCHEDULED,
        ).values_list("pk", flat=True)
    )
