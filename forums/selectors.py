"""Reads of the forum: the programme, a session's page, clashes, a person's agenda."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, When
from django.utils import timezone

from ciep.areas import all_areas
from ciep.models import Delegation, Edition, Format, User

from .models import (
    Bookmark,
    Registration,
    Session,
    SessionSpeaker,
    Speaker,
    SubVenueEvent,
)


def speaker_roles():
    return Prefetch(
        "speaker_roles",
        queryset=SessionSpeaker.objects.select_related("speaker").order_by("order", "id"),
    )


def programme_sessions(edition: Edition) -> QuerySet[Session]:
    """An edition's sessions with what the programme shows, in a fixed number of queries.

    Their speakers are fetched with ``speaker_roles()`` for the cards that must be drawn.
    """
    return (
        Session.objects.for_edition(edition)
        .select_related("section", "venue")
        .order_by("start", "section__order", "venue__order", "title_en")
    )


def with_seat_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """``sessions`` with ``seats_taken``, the confirmed registrations counted against the
    capacity (on-site ones for a session held on site too), so a card can say "Full"."""
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return sessions.annotate(
        seats_taken=Case(
            When(
                format__in=[Format.OFFLINE, Format.HYBRID],
                then=Count(
                    "registrations", filter=confirmed & Q(registrations__attendance="on_site")
                ),
            ),
            default=Count("registrations", filter=confirmed),
        )
    )


def programme_days(edition: Edition) -> list[date]:
    """The days (China time) on which the edition has sessions."""
    starts = Session.objects.for_edition(edition).values_list("start", flat=True)
    return sorted({timezone.localtime(start).date() for start in starts})


def group_by_day(cards) -> list[tuple[date, list[tuple[Session, str]]]]:
    """Sessions and their cards, as pairs, grouped by the day (local time) they start."""
    days: dict[date, list[tuple[Session, str]]] = {}
    for session, card in cards:
        days.setdefault(timezone.localtime(session.start).date(), []).append((session, card))
    return list(days.items())


GRID_STEP = timedelta(minutes=30)


@dataclass
class GridCell:
    """One cell of the programme's grid: the cards of the sessions that start in it (several
    when sessions overlap in a room), over ``rows`` half-hours; empty when ``cards`` is."""

    rows: int = 1
    cards: list = field(default_factory=list)


@dataclass
class GridRow:
    time: datetime
    cells: list  # one per venue: a GridCell, or None under a cell spanning from above


def programme_grid(day_sessions, venues) -> tuple[list, list[GridRow]]:
    """A day of the programme as a time-by-venue grid, like a printed timetable.

    ``day_sessions`` are (session, card) pairs of one day (with ``start``, ``end`` and
    ``venue_id``), ``venues`` the edition's venues in order; only the venues used that day
    become columns. Rows are half-hours from the first start to the last end; a session
    spans the rows it runs over, and sessions that overlap in one venue share one cell.
    """
    used = {session.venue_id for session, _card in day_sessions}
    columns = [venue for venue in venues if venue.pk in used]
    if not columns:
        return [], []

    def floor(moment):
        moment = timezone.localtime(moment)
        return moment.replace(minute=moment.minute // 30 * 30, second=0, microsecond=0)

    first = min(floor(session.start) for session, _card in day_sessions)
    last = max(timezone.localtime(session.end) for session, _card in day_sessions)
    count = max(1, -(-int((last - first) / timedelta(minutes=1)) // 30))
    index = {venue.pk: column for column, venue in enumerate(columns)}
    # Per venue, clusters of overlapping sessions: (first row, rows, cards).
    clusters: dict[int, list] = {venue.pk: [] for venue in columns}
    for session, card in sorted(day_sessions, key=lambda pair: pair[0].start):
        start_row = int((floor(session.start) - first) / GRID_STEP)
        end_row = max(
            start_row + 1,
            -(-int((timezone.localtime(session.end) - first) / timedelta(minutes=1)) // 30),
        )
        venue_clusters = clusters[session.venue_id]
        if venue_clusters and start_row < venue_clusters[-1][1]:
            venue_clusters[-1][1] = max(venue_clusters[-1][1], end_row)
            venue_clusters[-1][2].append((session, card))
        else:
            venue_clusters.append([start_row, end_row, [(session, card)]])
    rows = [
        GridRow(time=first + step * GRID_STEP, cells=[GridCell() for _ in columns])
        for step in range(count)
    ]
    for venue_pk, venue_clusters in clusters.items():
        column = index[venue_pk]
        for start_row, end_row, cards in venue_clusters:
            end_row = min(end_row, count)
            rows[start_row].cells[column] = GridCell(rows=end_row - start_row, cards=cards)
            for covered in range(start_row + 1, end_row):
                rows[covered].cells[column] = None
    return columns, rows


def session_detail_queryset() -> QuerySet[Session]:
    """A session's page: its speakers and fields are read by the page's shared parts, and only
    when those must be drawn (``session_speaker_roles``)."""
    return Session.objects.select_related(
        "edition",
        "section",
        "venue",
        "organising_organisation",
        "organising_delegation",
    )


def session_speaker_roles(session: Session) -> QuerySet[SessionSpeaker]:
    return session.speaker_roles.select_related("speaker").order_by("order", "id")


def session_seats(session: Session) -> dict:
    """Confirmed and waiting registrations of a session, counted by the database."""
    counts = Registration.objects.filter(session=session).aggregate(
        confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        on_site=Count(
            "id",
            filter=Q(status=Registration.Status.CONFIRMED, attendance="on_site"),
        ),
        waiting=Count("id", filter=Q(status=Registration.Status.WAITING)),
    )
    limited = counts["on_site"] if session.offers_on_site else counts["confirmed"]
    counts["taken"] = limited
    counts["left"] = None if session.capacity is None else max(session.capacity - limited, 0)
    return counts


def speaker_sessions(speaker: Speaker) -> QuerySet[Session]:
    """A speaker's sessions, latest first, with what their cards show (seats, speakers)."""
    return (
        with_seat_counts(Session.objects.filter(speaker_roles__speaker=speaker))
        .select_related("edition", "section", "venue")
        .prefetch_related(speaker_roles())
        .order_by("-start")
    )


def related_sessions(session: Session, *, limit: int = 3) -> list[Session]:
    """Other scheduled sessions of ``session``'s edition for its page: those of its section
    first, then those of the same day, each soonest first, with what their cards show."""
    day = timezone.localtime(session.start).date()
    others = (
        with_seat_counts(programme_sessions(session.edition).scheduled())
        .exclude(pk=session.pk)
        .filter(Q(section_id=session.section_id) | Q(start__date=day))
        .annotate(
            same_section=Case(When(section_id=session.section_id, then=0), default=1),
        )
        .prefetch_related(speaker_roles())
        .order_by("same_section", "start", "title_en")
    )
    return list(others[:limit])


def session_clashes(session: Session) -> dict[str, list[Session]]:
    """Sessions booked at the same time as ``session`` in its room or with one of its speakers.

    Online platforms host many sessions at once, so only physical venues clash.
    """
    others = (
        Session.objects.scheduled()
        .overlapping(session.start, session.end)
        .exclude(pk=session.pk)
        .select_related("venue")
    )
    venue_clashes = []
    if session.venue.kind != session.venue.Kind.ONLINE:
        venue_clashes = list(others.filter(venue=session.venue))
    speaker_ids = list(session.speaker_roles.values_list("speaker_id", flat=True))
    speaker_clashes = list(others.filter(speaker_roles__speaker_id__in=speaker_ids).distinct())
    return {"venue": venue_clashes, "speakers": speaker_clashes}


def upcoming_sessions(edition: Edition, *, limit: int = 4) -> list[Session]:
    """The home page's next sessions of ``edition`` (not cancelled), soonest first, with their
    speakers; the edition's first sessions once all have begun, so a past edition still shows
    its programme. A fixed number of queries."""
    sessions = (
        Session.objects.for_edition(edition)
        .scheduled()
        .select_related("section", "venue")
        .prefetch_related(speaker_roles())
        .order_by("start", "id")
    )
    upcoming = list(sessions.filter(end__gte=timezone.now())[:limit])
    return upcoming or list(sessions[:limit])


def guest_sessions(edition: Edition, country: str) -> list[Session]:
    """The events of a guest-of-honour or observer country (``Session.guest_country``) in
    ``edition``, cancelled ones too (their page says so), in programme order (one query)."""
    return list(
        Session.objects.for_edition(edition)
        .filter(guest_country=country)
        .select_related("section", "venue")
        .order_by("start", "id")
    )


def sessions_count(edition: Edition) -> int:
    """The home page's figure: the edition's sessions that are not cancelled."""
    return Session.objects.for_edition(edition).scheduled().count()


# --- A person's agenda ----------------------------------------------------------------------


@dataclass
class AgendaItem:
    start: datetime
    end: datetime
    title: str
    url: str
    kind: str  # "registration", "waiting", "bookmark", "cancelled" or "other"
    uid: str = ""
    status: str = "CONFIRMED"  # as iCalendar says it: CONFIRMED, TENTATIVE or CANCELLED
    label: str = ""
    location: str = ""
    session: Session | None = None
    registration: Registration | None = None
    clashes: list["AgendaItem"] = field(default_factory=list)


# How long a cancelled item stays in a person's calendar feed, so calendars that subscribed
# to it learn of the cancellation (under the same UID) before it drops out.
CANCELLED_KEPT = timedelta(days=30)


def _session_item(session: Session, kind: str, status: str, **extra) -> AgendaItem:
    return AgendaItem(
        session.start,
        session.end,
        session.title,
        session.get_absolute_url(),
        kind,
        uid=session_uid(session),
        status=status,
        location=session.venue.name if session.venue_id else "",
        session=session,
        **extra,
    )


def session_uid(session: Session) -> str:
    return f"forum-session-{session.pk}@ciep.example"


def agenda_items(user: User, *, with_cancelled: bool = False) -> list[AgendaItem]:
    """The person's registrations, bookmarks and other areas' items, in time order.

    Every item knows the items it overlaps (``clashes``). Other areas contribute through
    ``Area.agenda_items``; the agenda works the same when none does. ``with_cancelled`` adds
    what was cancelled lately or is still to come (a cancelled session, a cancelled
    registration, a declined meeting) as ``CANCELLED`` items, for calendar files and feeds.
    """
    related = ("session__venue", "session__section")
    registrations = (
        Registration.objects.active()
        .filter(user=user, session__status=Session.Status.SCHEDULED)
        .select_related(*related)
    )
    items = []
    listed_ids = set()
    for registration in registrations:
        confirmed = registration.status == Registration.Status.CONFIRMED
        listed_ids.add(registration.session_id)
        items.append(
            _session_item(
                registration.session,
                "registration" if confirmed else "waiting",
                "CONFIRMED" if confirmed else "TENTATIVE",
                registration=registration,
            )
        )
    bookmarks = (
        Bookmark.objects.filter(user=user, session__status=Session.Status.SCHEDULED)
        .exclude(session_id__in=listed_ids)
        .select_related(*related)
    )
    for bookmark in bookmarks:
        listed_ids.add(bookmark.session_id)
        items.append(_session_item(bookmark.session, "bookmark", "TENTATIVE"))
    if with_cancelled:
        since = timezone.now() - CANCELLED_KEPT
        gone = (
            Session.objects.filter(end__gte=since)
            .filter(Q(registrations__user=user) | Q(bookmarks__user=user))
            .exclude(pk__in=listed_ids)
            .select_related("venue", "section")
            .distinct()
        )
        items.extend(_session_item(session, "cancelled", "CANCELLED") for session in gone)
    for area in all_areas():
        hook = area.hook("agenda_items")
        if hook is None:
            continue
        for entry in hook(user):
            if entry.status == "CANCELLED" and not with_cancelled:
                continue
            items.append(
                AgendaItem(
                    entry.start,
                    entry.end,
                    str(entry.title),
                    entry.url,
                    "cancelled" if entry.status == "CANCELLED" else "other",
                    uid=entry.uid,
                    status=entry.status,
                    label=str(entry.label),
                    location=str(entry.location),
                )
            )
    items.sort(key=lambda item: (item.start, item.end, item.title))
    live = [item for item in items if item.status != "CANCELLED"]
    for index, item in enumerate(live):
        for other in live[index + 1 :]:
            if other.start >= item.end:
                break
            item.clashes.append(other)
            other.clashes.append(item)
    return items


def with_user_flags(queryset: QuerySet[Session], user: User) -> QuerySet[Session]:
    """Annotate whether ``user`` bookmarked or is registered for each session (two subqueries)."""
    if not user.is_authenticated:
        return queryset
    return queryset.annotate(
        is_bookmarked=Exists(Bookmark.objects.filter(user=user, session=OuterRef("pk"))),
        my_status=Registration.objects.active()
        .filter(user=user, session=OuterRef("pk"))
        .values("status")[:1],
    )


def people_concerned(edition: Edition) -> set[int]:
    """``Area.people_concerned``: who holds a seat or a waiting-list place at one of the
    edition's scheduled sessions."""
    return set(
        Registration.objects.active()
        .filter(session__edition=edition, session__status=Session.Status.SCHEDULED)
        .values_list("user_id", flat=True)
    )


def delegation_sub_venue_events(delegation: Delegation) -> QuerySet[SubVenueEvent]:
    """The events ``delegation`` proposed, newest edition first, each with its state, its
    venue and, once in the programme, its ``confirmed`` and ``waiting`` registrations counted
    (one query for any number of events)."""
    return (
        SubVenueEvent.objects.filter(delegation=delegation)
        .select_related("venue", "session", "section")
        .annotate(
            confirmed=Count(
                "session__registrations",
                filter=Q(session__registrations__status=Registration.Status.CONFIRMED),
            ),
            waiting=Count(
                "session__registrations",
                filter=Q(session__registrations__status=Registration.Status.WAITING),
            ),
        )
        .order_by("-created_at", "-pk")
    )
