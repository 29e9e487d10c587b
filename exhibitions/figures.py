"""The exhibition hall's figures for the edition report, computed by the database."""

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ciep.models import Edition

from .models import Booth, Exhibitor, Meeting

LABELS = {
    "booths": _("Booths"),
    "exhibition_area_m2": _("Exhibition area (m²)"),
    "exhibitors": _("Exhibitors"),
    "exhibitor_organisations": _("Exhibiting organisations"),
    "negotiation_meetings": _("Exhibition negotiations arranged"),
    "negotiations_held": _("Negotiations held"),
    "negotiations_follow_up": _("Negotiations with a follow-up agreed"),
    "negotiations_no_show": _("Negotiations missed (no-show)"),
    "negotiations_outcome_awaited": _("Negotiations whose outcome is still to record"),
    "booths_by_state": _("Booths by state"),
    "exhibitors_by_country": _("Exhibitors by country or region"),
    "exhibitors_by_hall": _("Exhibitors by hall"),
}


def edition_figures(edition: Edition) -> dict:
    booths = Booth.objects.filter(hall__edition=edition)
    exhibitors = Exhibitor.objects.filter(edition=edition)
    by_hall: dict[str, int] = {}
    for path in ("booth__hall__code", "pavilion__hall__code"):
        rows = exhibitors.filter(**{f"{path}__isnull": False}).values(path).annotate(n=Count("id"))
        for row in rows.order_by():
            by_hall[row[path]] = by_hall.get(row[path], 0) + row["n"]
    return {
        "booths": booths.count(),
        "exhibition_area_m2": int(booths.aggregate(total=Sum("size_m2"))["total"] or 0),
        "exhibitors": exhibitors.count(),
        "exhibitor_organisations": exhibitors.values("organisation").distinct().count(),
        **_negotiations(edition),
        "booths_by_state": {
            row["state"]: row["n"]
            for row in booths.values("state").annotate(n=Count("id")).order_by()
        },
        "exhibitors_by_country": {
            row["organisation__country"]: row["n"]
            for row in exhibitors.values("organisation__country").annotate(n=Count("id")).order_by()
        },
        "exhibitors_by_hall": by_hall,
    }


def _negotiations(edition: Edition) -> dict:
    """Accepted meetings and, of those, how they went as the exhibitors recorded it: held
    counts those held with a follow-up too (as on the exhibitor's figures page)."""
    outcome = Meeting.Outcome
    return Meeting.objects.filter(
        slot__exhibitor__edition=edition, state=Meeting.State.ACCEPTED
    ).aggregate(
        negotiation_meetings=Count("pk"),
        negotiations_held=Count("pk", filter=Q(outcome__in=[outcome.HELD, outcome.FOLLOW_UP])),
        negotiations_follow_up=Count("pk", filter=Q(outcome=outcome.FOLLOW_UP)),
        negotiations_no_show=Count("pk", filter=Q(outcome=outcome.NO_SHOW)),
        negotiations_outcome_awaited=Count(
            "pk", filter=Q(outcome="", starts_at__lte=timezone.now())
        ),
    )


def participating_organisation_ids(edition: Edition):
    """Ids of the organisations taking part in ``edition`` through the exhibition (exhibitors)."""
    return Exhibitor.objects.filter(edition=edition).values_list("organisation_id", flat=True)
