"""Writes of the forum: registrations and the waiting list, check-in, bookmarks, feedback,
and the events delegations propose at their sub-venues.

Capacity is decided by the database: every write that can change who holds a seat first locks
the session's row (``select_for_update``), so concurrent registrations queue up behind each
other and count the seats one at a time. A partial unique constraint keeps a person from
holding two live registrations for the same session. Emails leave after the writes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ciep.audit import audited_update
from ciep.mail import send_mail_to
from ciep.models import Delegation, Edition, User, WebhookEvent
from ciep.permissions import heads_delegation, require_organiser
from ciep.services import save_data
from ciep.webhooks import webhook_emit

from .models import (
    SUB_VENUE_KINDS,
    Attendance,
    Bookmark,
    CalendarFeed,
    DelegationQuota,
    Feedback,
    Registration,
    Session,
    SessionSpeaker,
    SubVenueEvent,
    Venue,
)
from .permissions import can_edit_sub_venue_event, can_propose_sub_venue_event
from .privacy import record_speaker_consent
from .qr import qr_png

# --- Registration and the waiting list ------------------------------------------------------


def _email_registration(registration: Registration, template: str) -> None:
    attachments = []
    if registration.status == Registration.Status.CONFIRMED:
        attachments.append((f"ciep-{registration.code}.png", qr_png(registration), "image/png"))
    send_mail_to(
        registration.user,
        f"forums/email/{template}",
        {"registration": registration, "session": registration.session},
        attachments=attachments,
    )


def _email_outcome(registration: Registration) -> None:
    if registration.promoted_at:
        _email_registration(registration, "registration_promoted")
    elif registration.status == Registration.Status.CONFIRMED:
        _email_registration(registration, "registration_confirmed")
    else:
        _email_registration(registration, "registration_waiting")


def _seats_taken(session: Session, attendance: str) -> int:
    return Registration.objects.filter(
        session=session, status=Registration.Status.CONFIRMED, attendance=attendance
    ).count()


def _check_attendance(session: Session, attendance: str) -> None:
    if attendance == Attendance.ONLINE and not session.offers_online:
        raise ValidationError({"attendance": _("This session cannot be followed online.")})
    if attendance == Attendance.ON_SITE and not session.offers_on_site:
        raise ValidationError({"attendance": _("This session is online only.")})


def registration_create(
    *,
    session: Session,
    user: User,
    attendance: str | None = None,
) -> Registration:
    """Register ``user`` for ``session``: confirmed while seats remain, else waiting.

    Locks the session's row so that the seats are counted one registration at a time; refuses
    a cancelled or started session and a second live registration of the same person. Emails
    the person (with the QR code when confirmed) once written. Any signed-in person may call
    it for themselves; a delegation's head goes through ``group_register``.
    """
    with transaction.atomic():
        registration = _register(session=session, user=user, attendance=attendance, by=user)
    _email_outcome(registration)
    return registration


def _register(
    *,
    session: Session,
    user: User,
    attendance: str | None,
    by: User,
    delegation: Delegation | None = None,
) -> Registration:
    attendance = attendance or session.default_attendance()
    _check_attendance(session, attendance)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not session.is_registration_open():
        raise ValidationError(_("Registration for this session is closed."))
    if Registration.objects.active().filter(session=session, user=user).exists():
        raise ValidationError(
            _("%(name)s is already registered for this session.") % {"name": user}
        )
    status = Registration.Status.CONFIRMED
    if session.limits(attendance) and _seats_taken(session, attendance) >= session.capacity:
        status = Registration.Status.WAITING
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                session=session,
                user=user,
                attendance=attendance,
                status=status,
                registered_by=by,
                delegation=delegation,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already registered for this session.") % {"name": user}
        ) from None
    if status == Registration.Status.CONFIRMED:
        _emit_registration(registration, session, WebhookEvent.REGISTRATION_CONFIRMED)
    return registration


def _emit_registration(registration: Registration, session: Session, event: str) -> None:
    """Tell the session's organising organisation and the organisers' webhooks (ids and
    states only: who registered stays on the portal)."""
    webhook_emit(
        organisation_ids=[session.organising_organisation_id],
        event=event,
        data={
            "registration": registration.pk,
            "session": session.pk,
            "delegation": registration.delegation_id,
            "attendance": registration.attendance,
            "status": registration.status,
        },
    )


def _promote(session: Session) -> list[Registration]:
    """Fill the free seats from the waiting list, first come first served (lock held)."""
    if session.capacity is None:
        waiting = list(Registration.objects.waiting().filter(session=session))
    else:
        attendance = Attendance.ON_SITE if session.offers_on_site else Attendance.ONLINE
        free = session.capacity - _seats_taken(session, attendance)
        if free <= 0:
            return []
        waiting = list(
            Registration.objects.waiting()
            .filter(session=session, attendance=attendance)
            .select_for_update()
            .order_by("created_at", "id")[:free]
        )
    now = timezone.now()
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        _emit_registration(registration, session, WebhookEvent.REGISTRATION_PROMOTED)
    return waiting


def registration_promote(*, session: Session) -> list[Registration]:
    """Promote people from the waiting list into the seats free now; returns them.

    Called after a cancellation and by organisers (admin action, or after raising a session's
    capacity). Each promoted person is emailed.
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        promoted = [] if session.is_over() else _promote(session)
    for registration in promoted:
        _email_outcome(registration)
    return promoted


def registration_cancel(*, registration: Registration, by: User) -> list[Registration]:
    """Cancel a registration and promote the first of the waiting list into a freed seat.

    The registered person, whoever registered them (a delegation's head) or an organiser may
    cancel. Returns the promoted registrations.
    """
    from ciep.permissions import is_organiser

    if by.pk not in (registration.user_id, registration.registered_by_id) and not is_organiser(by):
        raise PermissionDenied
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."))
        if registration.checked_in_at:
            raise ValidationError(_("A registration that has been checked in cannot be cancelled."))
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        promoted = [] if session.is_over() else _promote(session)
    for promoted_registration in promoted:
        _email_outcome(promoted_registration)
    return promoted


# --- Telling registrants of changes ---------------------------------------------------------


def session_announce(
    *,
    session: Session,
    change: str,
    previous_start=None,
    previous_venue=None,
) -> int:
    """Mail the confirmed and waiting-list registrants of ``session`` that it was cancelled
    (``change="cancelled"``) or moved (``"moved"``, with where and when it was before); return
    how many people were told.

    Each person is told once, in their own language, after the caller's transaction commits
    (the outbox). Called by ``session_cancel`` and by the organisers' edit form when the
    session's time or venue changes.
    """
    if change not in ("cancelled", "moved"):
        raise ValueError(f"Unknown change {change!r}")
    registrations = (
        Registration.objects.active()
        .filter(session=session)
        .select_related("user", "session__venue")
        .order_by("user_id", "id")
    )
    told = set()
    for registration in registrations:
        if registration.user_id in told:
            continue
        told.add(registration.user_id)
        send_mail_to(
            registration.user,
            "forums/email/session_changed",
            {
                "session": session,
                "registration": registration,
                "change": change,
                "previous_start": previous_start,
                "previous_venue": previous_venue,
            },
        )
    return len(told)


def session_cancel(*, session: Session, by: User) -> Session:
    """Cancel a scheduled session: it stays in the programme as cancelled, calendars that
    hold it receive it as ``CANCELLED``, and its confirmed and waiting registrants are
    mailed. Organisers only (the admin's action)."""
    require_organiser(by)
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("venue").get(pk=session.pk)
        if session.is_cancelled:
            raise ValidationError(_("This session is already cancelled."))
        session.status = Session.Status.CANCELLED
        session.save(update_fields=["status", "updated_at"])
        session_announce(session=session, change="cancelled")
    return session


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def registration_check_in(*, code: str, by: User) -> Registration:
    """Check a person in by the code of their registration; each code is accepted once.

    The conditional update lets only one of two simultaneous scans succeed. Refuses unknown
    (forged) codes, cancelled and waiting-list registrations. Organisers only.
    """
    require_organiser(by)
    code = normalise_code(code)
    registration = (
        Registration.objects.select_related("session", "user").filter(code=code).first()
        if code
        else None
    )
    if registration is None:
        raise ValidationError({"code": _("No registration has this code.")})
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError({"code": _("This registration has been cancelled.")})
    if registration.status == Registration.Status.WAITING:
        raise ValidationError({"code": _("This person is on the waiting list, not confirmed.")})
    now = timezone.now()
    updated = audited_update(
        Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True),
        checked_in_at=now,
        checked_in_by=by,
        updated_at=now,
    )
    if not updated:
        registration.refresh_from_db(fields=["checked_in_at"])
        raise ValidationError(
            {
                "code": _("This code has already been used (checked in at %(time)s).")
                % {"time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")}
            }
        )
    registration.checked_in_at, registration.checked_in_by = now, by
    return registration


# --- Delegations ----------------------------------------------------------------------------


def group_register(
    *, session: Session, delegation: Delegation, users: list[User], by: User
) -> list[Registration]:
    """Register members of ``delegation`` for ``session`` as a group, within its quota.

    Only the delegation's head may; every person must be a member of the delegation. The quota
    row is locked so that two group registrations cannot both take the last places. Each person
    is then registered like everyone else (confirmed or waiting); if one cannot be, nobody is.
    Emails go out once all are written.
    """
    if not heads_delegation(by, delegation):
        raise PermissionDenied
    if not users:
        raise ValidationError({"members": _("Choose at least one member.")})
    member_ids = set(delegation.members.values_list("user_id", flat=True))
    if any(user.pk not in member_ids for user in users):
        raise ValidationError({"members": _("Only members of the delegation can be registered.")})
    with transaction.atomic():
        quota = (
            DelegationQuota.objects.select_for_update()
            .filter(session=session, delegation=delegation)
            .first()
        )
        if quota is None:
            raise ValidationError(_("The organisers have not given your delegation places here."))
        used = Registration.objects.active().filter(session=session, delegation=delegation).count()
        if used + len(users) > quota.places:
            raise ValidationError(
                {
                    "members": _(
                        "Your delegation has %(left)d of %(places)d places left for this session."
                    )
                    % {"left": max(quota.places - used, 0), "places": quota.places}
                }
            )
        registrations = [
            _register(session=session, user=user, attendance=None, by=by, delegation=delegation)
            for user in users
        ]
    for registration in registrations:
        _email_outcome(registration)
    return registrations


# --- Bookmarks, calendar feed, feedback, views ----------------------------------------------


def bookmark_toggle(*, user: User, session: Session) -> bool:
    """Bookmark ``session`` for ``user``, or remove the bookmark; returns whether it is set."""
    deleted, _rows = Bookmark.objects.filter(user=user, session=session).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(user=user, session=session)
    return True


def calendar_feed_get(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give ``user`` a new private feed token; the old address stops working."""
    from .models import new_feed_token

    feed = calendar_feed_get(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "updated_at"])
    return feed


def feedback_submit(*, session: Session, user: User, rating: int, comment: str = "") -> Feedback:
    """Record (or update) a confirmed participant's rating and comment after the session."""
    if not session.is_over():
        raise ValidationError(_("Feedback opens when the session is over."))
    if not Registration.objects.confirmed().filter(session=session, user=user).exists():
        raise PermissionDenied
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    feedback, _created = Feedback.objects.update_or_create(
        session=session, user=user, defaults={"rating": rating, "comment": comment.strip()}
    )
    return feedback


def session_view_record(*, session: Session) -> str:
    """Count a view of the live stream or of the replay; returns the address to go to."""
    # Counters: not an organiser's doing, so not in the audit log (ciep/audit.py).
    if session.is_live() and session.stream_url:
        Session.objects.filter(pk=session.pk).update(live_views=F("live_views") + 1)
        return session.stream_url
    if session.is_over() and session.replay_url:
        Session.objects.filter(pk=session.pk).update(replay_views=F("replay_views") + 1)
        return session.replay_url
    raise ValidationError(_("Nothing is being streamed for this session now."))


def _session_move(*, session: Session, by: User, source: str, target: str, refusal) -> Session:
    require_organiser(by)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.status != source:
            raise ValidationError(refusal)
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
    return locked


def session_reinstate(*, session: Session, by: User) -> Session:
    """Schedule a cancelled session again. Organisers only."""
    return _session_move(
        session=session,
        by=by,
        source=Session.Status.CANCELLED,
        target=Session.Status.SCHEDULED,
        refusal=_("Only a cancelled session can be reinstated."),
    )


def session_duplicate(*, session: Session, by: User) -> Session:
    """Copy a session (texts, venue, speakers, fields), without registrations or views.
    Organisers only."""
    require_organiser(by)
    with transaction.atomic():
        copy = Session.objects.get(pk=session.pk)
        copy.pk = None
        copy.title_en = f"{session.title_en} (copy)"
        copy.title_zh = f"{session.title_zh}（副本）" if session.title_zh else ""
        copy.live_views = copy.replay_views = 0
        copy.save()
        copy.fields.set(session.fields.all())
        SessionSpeaker.objects.bulk_create(
            SessionSpeaker(
                session=copy, speaker_id=role.speaker_id, role=role.role, order=role.order
            )
            for role in session.speaker_roles.all()
        )
    return copy


def speaker_profile_save(*, speaker, data: dict, by: User):
    """Save a speaker's own profile from its data; only the speaker's account may.

    Showing a biography or photo in the public programme is the speaker's consent, recorded
    (and its end, when both are removed).
    """
    if speaker.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        speaker = save_data(speaker, data)
        record_speaker_consent(speaker)
    return speaker


# --- Sub-venue events proposed by delegations -----------------------------------------------

# What a proposal's form may set; the rest (edition, delegation, state, review) is the services'.
SUB_VENUE_EVENT_FIELDS = frozenset(
    {
        "title_en",
        "title_zh",
        "description_en",
        "description_zh",
        "section",
        "kind",
        "venue",
        "venue_name_en",
        "venue_name_zh",
        "city_en",
        "city_zh",
        "country",
        "time_zone",
        "start",
        "end",
        "capacity",
        "language",
    }
)


def _save_proposal(event: SubVenueEvent, data: dict) -> SubVenueEvent:
    unknown = set(data) - SUB_VENUE_EVENT_FIELDS
    if unknown:
        raise ValueError(f"Not fields of a proposal: {sorted(unknown)}")
    for name, value in data.items():
        setattr(event, name, value)
    if event.venue is not None:
        # An existing sub-venue keeps its own zone; the proposal names nothing new.
        event.time_zone = event.venue.time_zone
        event.venue_name_en = event.venue_name_zh = event.city_en = event.city_zh = ""
        event.country = ""
    event.full_clean()
    event.save()
    return event


def sub_venue_event_propose(*, delegation: Delegation, data: dict, by: User) -> SubVenueEvent:
    """Propose an event at a sub-venue for ``delegation``'s edition, awaiting the organisers.

    Only the delegation's head may (``PermissionDenied``); a concluded edition takes no more
    proposals, and a proposal that breaks a rule (``SubVenueEvent.clean``) is refused with
    errors by field (``ValidationError``), nothing saved.
    """
    if not can_propose_sub_venue_event(by, delegation):
        raise PermissionDenied(_("Only the delegation's head may propose its events."))
    if delegation.edition.status == Edition.Status.CONCLUDED:
        raise ValidationError(_("This edition has concluded; it takes no more proposals."))
    with transaction.atomic():
        event = SubVenueEvent(edition=delegation.edition, delegation=delegation, proposed_by=by)
        return _save_proposal(event, data)


def sub_venue_event_update(*, event: SubVenueEvent, data: dict, by: User) -> SubVenueEvent:
    """Change a pending proposal; only the head of its delegation may, and only until the
    organisers review it."""
    with transaction.atomic():
        locked = SubVenueEvent.objects.select_for_update().get(pk=event.pk)
        if not can_propose_sub_venue_event(by, locked.delegation):
            raise PermissionDenied(_("Only the delegation's head may change its proposals."))
        if not can_edit_sub_venue_event(by, locked):
            raise ValidationError(_("The organisers have reviewed this proposal already."))
        return _save_proposal(locked, data)


def _review(event: SubVenueEvent, by: User) -> SubVenueEvent:
    require_organiser(by)
    locked = (
        SubVenueEvent.objects.select_for_update(of=("self",))
        .select_related("venue", "proposed_by", "delegation")
        .get(pk=event.pk)
    )
    if not locked.is_pending:
        raise ValidationError(_("This proposal has been reviewed already."))
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    return locked


def _sub_venue_for(event: SubVenueEvent) -> Venue:
    """The proposal's venue: the chosen one, or the new one it names (the same name in the
    edition means the same place)."""
    if event.venue is not None:
        return event.venue
    venue, _created = Venue.objects.get_or_create(
        edition=event.edition,
        name_en=event.venue_name_en,
        defaults={
            "name_zh": event.venue_name_zh,
            "kind": Venue.Kind.DOMESTIC if event.country == "CN" else Venue.Kind.FOREIGN,
            "city_en": event.city_en,
            "city_zh": event.city_zh,
            "country": event.country,
            "time_zone": event.time_zone,
        },
    )
    if venue.kind not in SUB_VENUE_KINDS:
        raise ValidationError(
            _("The edition has a venue named %(name)s that is no sub-venue; rename the proposal's.")
            % {"name": venue.name_en}
        )
    return venue


def sub_venue_event_approve(*, event: SubVenueEvent, by: User) -> SubVenueEvent:
    """Put a pending proposal in the programme: a scheduled session organised by the
    delegation at the sub-venue (created when new), with the proposal's seats, open for
    registration like any session. Organisers only; the proposing head is mailed once, in
    their language, after the transaction commits."""
    with transaction.atomic():
        event = _review(event, by)
        venue = _sub_venue_for(event)
        event.venue = venue
        event.session = Session.objects.create(
            edition=event.edition,
            section=event.section,
            kind=event.kind,
            title_en=event.title_en,
            title_zh=event.title_zh,
            abstract_en=event.description_en,
            abstract_zh=event.description_zh,
            start=event.start,
            end=event.end,
            venue=venue,
            language=event.language,
            capacity=event.capacity,
            organising_delegation=event.delegation,
        )
        event.state = SubVenueEvent.State.APPROVED
        event.save()
        _email_review(event)
    return event


def sub_venue_event_refuse(*, event: SubVenueEvent, by: User, reason: str) -> SubVenueEvent:
    """Refuse a pending proposal with a reason, which the proposing head is mailed once, in
    their language, after the transaction commits. Organisers only."""
    if not reason.strip():
        raise ValidationError(
            _("Write the reason for the refusal in the proposal first: it is mailed to the head.")
        )
    with transaction.atomic():
        event = _review(event, by)
        event.state = SubVenueEvent.State.REFUSED
        event.refusal_reason = reason.strip()
        event.save(
            update_fields=["state", "refusal_reason", "reviewed_by", "reviewed_at", "updated_at"]
        )
        _email_review(event)
    return event


def _email_review(event: SubVenueEvent) -> None:
    if event.proposed_by is not None:
        send_mail_to(
            event.proposed_by,
            f"forums/email/sub_venue_event_{event.state}",
            {"event": event, "delegation": event.delegation},
        )
