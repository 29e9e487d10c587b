"""The forum's figures for the edition report, computed by the database."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from ciep.bilingual import is_chinese
from ciep.models import Edition, Organisation

from .models import Registration, Session, SessionSpeaker

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
    }


def participating_organisation_ids(edition: Edition) -> set[int]:
    """Organisations that organise at least one (not cancelled) session of ``edition``."""
    return set(
        Organisation.objects.filter(
            forum_sessions__edition=edition,
            forum_sessions__status=Session.Status.SCHEDULED,
        ).values_list("pk", flat=True)
    )
