"""Composite reads of the exhibition hall: each decides its joins once."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ciep.areas import AgendaEntry
from ciep.caching import shared
from ciep.models import Edition, Organisation, User

from .calendars import meeting_uid
from .models import (
    Application,
    Booth,
    Brochure,
    Exhibitor,
    GalleryImage,
    Hall,
    Meeting,
    Product,
    Slot,
)
from .services import exhibitor_pending_views


def exhibitor_count(edition: Edition) -> int:
    """The home page's figure: exhibitors of ``edition``."""
    return Exhibitor.objects.filter(edition=edition).count()


def featured_exhibitors(edition: Edition, *, limit: int = 8) -> list[Exhibitor]:
    """The home page's showcase: ``edition``'s exhibitors that have a logo, the most visited
    first (one query; the home page keeps it in a shared part)."""
    return list(
        Exhibitor.objects.filter(edition=edition)
        .exclude(logo="")
        .select_related("organisation")
        .order_by("-page_views", "organisation__name_en", "id")[:limit]
    )


# A guest country's page lists this many of its exhibitors, then links to the catalogue.
GUEST_EXHIBITORS_SHOWN = 24


def guest_exhibitors(edition: Edition, country: str) -> tuple[list[Exhibitor], int]:
    """``edition``'s exhibitors from ``country`` (a code) in catalogue order, the first
    ``GUEST_EXHIBITORS_SHOWN`` of them and how many there are (two queries): a guest
    country's page shows them and links to the catalogue filtered by the country."""
    exhibitors = Exhibitor.objects.filter(edition=edition, organisation__country=country)
    shown = list(
        exhibitors.select_related("organisation").order_by("organisation__name_en", "id")[
            :GUEST_EXHIBITORS_SHOWN
        ]
    )
    total = len(shown) if len(shown) < GUEST_EXHIBITORS_SHOWN else exhibitors.count()
    return shown, total


def catalogue_exhibitors(edition: Edition) -> QuerySet[Exhibitor]:
    """The edition's exhibitors in catalogue order.

    What a card shows (``CARD_PREFETCH``) is fetched, in a fixed number of queries, only for
    the cards still to draw: joining it all into the list's query would cost more to plan
    than to run.
    """
    return Exhibitor.objects.filter(edition=edition).order_by("organisation__name_en", "id")


CARD_PREFETCH = ["organisation", "booth__hall", "pavilion__hall", "delegation", "fields"]


def catalogue_facets(edition: Edition) -> dict:
    """How many exhibitors each filter value has in ``edition`` (one aggregate per facet).

    The same for every reader, so counted once per change of the edition's exhibition hall.
    """
    return shared(
        f"catalogue-facets:{edition.pk}",
        lambda: _count_facets(edition),
        "exhibitions",
        edition=edition.pk,
    )


def _count_facets(edition: Edition) -> dict:
    exhibitors = Exhibitor.objects.filter(edition=edition)

    def counts(path):
        rows = exhibitors.values(path).annotate(n=Count("id", distinct=True)).order_by()
        return {row[path]: row["n"] for row in rows if row[path] is not None}

    hall_counts: dict = {}
    for path in ("booth__hall", "pavilion__hall"):
        for hall_id, number in counts(path).items():
            hall_counts[hall_id] = hall_counts.get(hall_id, 0) + number
    return {
        "country": counts("organisation__country"),
        "type": counts("organisation__type"),
        "field": counts("fields"),
        "hall": hall_counts,
        "delegation": counts("delegation"),
    }


def exhibitor_detail_queryset() -> QuerySet[Exhibitor]:
    """A booth page's exhibitor with its upcoming slots; the profile's parts (``PROFILE_PREFETCH``)
    are fetched when the shared profile must be drawn."""
    live = Meeting.objects.active().filter(slot=OuterRef("pk"))
    upcoming = (
        Slot.objects.filter(starts_at__gt=timezone.now())
        .annotate(taken=Exists(live))
        .order_by("starts_at")
    )
    return Exhibitor.objects.select_related(
        "organisation", "edition", "booth__hall", "pavilion__hall", "delegation"
    ).prefetch_related(Prefetch("slots", queryset=upcoming, to_attr="upcoming_slots"))


# Each in its own order: the models' default orders go through the exhibitor and its
# organisation's name, two joins that cost more to plan than these small reads take to run.
PROFILE_PREFETCH = [
    "fields",
    Prefetch("gallery", queryset=GalleryImage.objects.order_by("order", "id")),
    Prefetch("products", queryset=Product.objects.order_by("order", "name_en")),
    Prefetch("brochures", queryset=Brochure.objects.order_by("title_en")),
]


def hall_plan(hall: Hall) -> list[Booth]:
    """Every booth of a hall with its exhibitor or delegation, for the floor plan."""
    return list(
        hall.booths.select_related("exhibitor__organisation", "delegation").order_by("code")
    )


def booths_matching(booths: list[Booth], query: str) -> list[Booth]:
    """The booths of a floor plan whose code, exhibitor or pavilion's delegation holds
    ``query`` (either language), read from the plan already fetched."""
    needle = query.casefold()
    if not needle:
        return []

    def texts(booth):
        yield booth.code
        if booth.exhibitor_id:
            yield booth.exhibitor.organisation.name_en
            yield booth.exhibitor.organisation.name_zh
        if booth.delegation_id:
            yield booth.delegation.name_en
            yield booth.delegation.name_zh

    return [b for b in booths if any(needle in (t or "").casefold() for t in texts(b))]


def halls_of(edition: Edition) -> QuerySet[Hall]:
    return Hall.objects.filter(edition=edition).annotate(
        booth_total=Count("booths"),
        available_total=Count("booths", filter=Q(booths__state=Booth.State.AVAILABLE)),
    )


def applications_of(user) -> QuerySet[Application]:
    return (
        Application.objects.visible_to(user)
        .select_related("edition", "organisation", "delegation", "hall", "booth", "exhibitor")
        .order_by("-created_at", "-id")
    )


def previous_profile(organisation: Organisation, edition: Edition) -> Exhibitor | None:
    """The organisation's exhibitor profile at its latest earlier edition, to start from."""
    return (
        Exhibitor.objects.filter(organisation=organisation, edition__number__lt=edition.number)
        .select_related("edition", "booth__hall")
        .prefetch_related("fields")
        .order_by("-edition__number")
        .first()
    )


def meetings_of(user) -> QuerySet[Meeting]:
    """Meetings the user requested or holds as exhibitor staff, soonest first."""
    return (
        Meeting.objects.involving(user)
        .select_related("slot__exhibitor__organisation", "requester", "interpreter")
        .order_by("starts_at", "id")
    )


def agenda_entries(user) -> list[AgendaEntry]:
    """The person's negotiation meetings for their agenda and calendar feed (``Area.agenda_items``):
    upcoming and recent ones, declined, cancelled and lapsed ones as ``CANCELLED``."""
    since = timezone.now() - timedelta(days=30)
    entries = []
    meetings = meetings_of(user).select_related(
        "slot__exhibitor__booth", "slot__exhibitor__pavilion"
    )
    for meeting in meetings.filter(ends_at__gte=since):
        requested = meeting.requester_id == user.pk
        location = meeting.slot.exhibitor.location
        if meeting.slot.mode == Slot.Mode.ONLINE:
            where = _("Online")
        else:
            where = _("Booth %(code)s") % {"code": location.code} if location else ""
        other = meeting.slot.exhibitor.organisation.name if requested else meeting.requester.name
        status = meeting.calendar_status
        entries.append(
            AgendaEntry(
                uid=meeting_uid(meeting),
                start=meeting.starts_at,
                end=meeting.ends_at,
                title=_("Negotiation with %(name)s") % {"name": other},
                url=meeting.get_absolute_url(),
                status=status,
                label=MEETING_LABELS[status],
                location=where,
            )
        )
    return entries


def people_concerned(edition: Edition) -> set[int]:
    """``Area.people_concerned``: the staff of the edition's exhibitors, the admins of
    organisations whose application is open, and whoever holds a live negotiation meeting."""
    staff = User.objects.filter(memberships__organisation__exhibitors__edition=edition)
    applicants = User.objects.filter(
        memberships__role="admin",
        memberships__organisation__exhibition_applications__edition=edition,
        memberships__organisation__exhibition_applications__state__in=Application.OPEN_STATES,
    )
    requesters = Meeting.objects.filter(
        slot__exhibitor__edition=edition, state__in=Meeting.LIVE_STATES
    ).values_list("requester_id", flat=True)
    return (
        set(staff.values_list("pk", flat=True))
        | set(applicants.values_list("pk", flat=True))
        | set(requesters)
    )


MEETING_LABELS = {
    "CONFIRMED": gettext_lazy("Meeting accepted"),
    "TENTATIVE": gettext_lazy("Meeting requested"),
    "CANCELLED": gettext_lazy("Meeting called off"),
}


def exhibitor_figures(exhibitor: Exhibitor) -> dict:
    """Page views and meeting requests by outcome, for the exhibitor's own figures page."""
    meetings = Meeting.objects.filter(slot__exhibitor=exhibitor)
    by_state = dict(
        meetings.values_list("state").annotate(n=Count("id")).order_by().values_list("state", "n")
    )
    accepted = meetings.filter(state=Meeting.State.ACCEPTED)
    by_outcome = dict(
        accepted.values_list("outcome")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("outcome", "n")
    )
    awaiting = accepted.filter(outcome="", starts_at__lte=timezone.now()).count()
    held = by_outcome.get(Meeting.Outcome.HELD, 0) + by_outcome.get(Meeting.Outcome.FOLLOW_UP, 0)
    recorded = held + by_outcome.get(Meeting.Outcome.NO_SHOW, 0)
    return {
        "page_views": exhibitor.page_views + exhibitor_pending_views(exhibitor.pk),
        "slots": exhibitor.slots.count(),
        "requests": sum(by_state.values()),
        "by_state": [(label, by_state.get(value, 0)) for value, label in Meeting.State.choices],
        "by_outcome": [
            (label, by_outcome.get(value, 0)) for value, label in Meeting.Outcome.choices
        ],
        "outcome_awaited": awaiting,
        "meetings_held": held,
        "follow_ups": by_outcome.get(Meeting.Outcome.FOLLOW_UP, 0),
        # Of the meetings whose outcome is known, the share that took place (a whole percent).
        "held_rate": round(100 * held / recorded) if recorded else None,
    }
