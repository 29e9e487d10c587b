"""Writes of the exhibition hall. Views, forms, admin actions and the demo call these."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import PurePath

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ciep import caching
from ciep.audit import audited_update
from ciep.mail import send_mail_to
from ciep.models import Delegation, Edition, Language, Organisation, User, WebhookEvent
from ciep.permissions import require_organiser
from ciep.services import save_data
from ciep.webhooks import webhook_emit

from .calendars import meeting_calendar
from .models import (
    Application,
    Booth,
    Brochure,
    Exhibitor,
    GalleryImage,
    Hall,
    Interpreter,
    Meeting,
    Product,
    Slot,
    language_codes,
)
from .permissions import can_apply_for, can_place_in_pavilion, is_exhibitor_staff

# How long a request (or a proposal of another time) holds its slot before it lapses.
HOLD_PERIOD = timedelta(hours=48)

# --- Halls and booths -----------------------------------------------------------------------


def hall_add_booth_row(
    *,
    hall: Hall,
    prefix: str,
    first_number: int,
    count: int,
    x: int,
    y: int,
    width: int = 3,
    depth: int = 3,
    kind: str = Booth.Kind.STANDARD,
    price_band: str = Booth.PriceBand.B,
    vertical: bool = False,
    by: User,
) -> list[Booth]:
    """Create ``count`` booths side by side (``prefix``-``first_number`` onwards) in a hall.

    The whole row must fit on the hall's plan and every code must be new; otherwise nothing is
    created. Organisers only (from the hall's admin page).
    """
    require_organiser(by)
    if count < 1 or count > 200:
        raise ValidationError({"count": _("Create between 1 and 200 booths at a time.")})
    right = x + (width if vertical else width * count)
    bottom = y + (depth * count if vertical else depth)
    if right > hall.plan_width or bottom > hall.plan_height:
        raise ValidationError(
            _("The row does not fit on the hall's plan (%(w)d × %(h)d m).")
            % {"w": hall.plan_width, "h": hall.plan_height}
        )
    booths = [
        Booth(
            hall=hall,
            code=f"{prefix}{first_number + index}",
            size_m2=width * depth,
            kind=kind,
            price_band=price_band,
            x=x if vertical else x + index * width,
            y=y + index * depth if vertical else y,
            width=width,
            depth=depth,
        )
        for index in range(count)
    ]
    codes = [booth.code for booth in booths]
    taken = list(hall.booths.filter(code__in=codes).values_list("code", flat=True))
    if taken:
        raise ValidationError(
            _("These booth codes already exist: %(codes)s.") % {"codes": ", ".join(taken)}
        )
    try:
        with transaction.atomic():
            created = Booth.objects.bulk_create(booths)
            caching.rows_changed(hall.booths.all())  # bulk inserts send no signals
            return created
    except IntegrityError:
        raise ValidationError(
            _("Another organiser has just created some of these booths.")
        ) from None


def booth_check(*, booth: Booth) -> None:
    """Refuse (a ``ValidationError`` naming the fields) a new booth that would not fit on its
    hall's plan or whose code the hall already has."""
    hall, errors = booth.hall, {}
    if booth.x + booth.width > hall.plan_width:
        errors["x"] = [
            _("The booth does not fit across the hall's plan (%(w)d m wide).")
            % {"w": hall.plan_width}
        ]
    if booth.y + booth.depth > hall.plan_height:
        errors["y"] = [
            _("The booth does not fit down the hall's plan (%(h)d m deep).")
            % {"h": hall.plan_height}
        ]
    if hall.booths.filter(code=booth.code).exists():
        errors["code"] = [_("The hall already has a booth %(code)s.") % {"code": booth.code}]
    if errors:
        raise ValidationError(errors)


def booth_create(
    *,
    hall: Hall,
    code: str,
    size_m2: int,
    x: int,
    y: int,
    width: int = 3,
    depth: int = 3,
    kind: str = Booth.Kind.STANDARD,
    price_band: str = Booth.PriceBand.B,
    by: User,
) -> Booth:
    """Add one booth to a hall's plan, available. Organisers only (the booths' import).

    It must fit on the plan and its code be new in the hall (the database's unique
    constraint decides between two organisers at the same moment).
    """
    require_organiser(by)
    booth = Booth(
        hall=hall,
        code=code,
        size_m2=size_m2,
        kind=kind,
        price_band=price_band,
        x=x,
        y=y,
        width=width,
        depth=depth,
    )
    booth_check(booth=booth)
    try:
        with transaction.atomic():
            booth.save()
    except IntegrityError:
        raise ValidationError(
            {"code": _("Another organiser has just created booth %(code)s.") % {"code": code}}
        ) from None
    return booth


def exhibitor_check(*, edition: Edition, organisation: Organisation, booth: Booth | None) -> None:
    """Refuse (a ``ValidationError`` naming ``organisation`` or ``booth``) an exhibitor the
    edition already has, or a booth that is not free for it."""
    errors = {}
    if Exhibitor.objects.filter(edition=edition, organisation=organisation).exists():
        errors["organisation"] = [
            _("%(name)s already exhibits at this edition.") % {"name": organisation}
        ]
    if booth is not None:
        if booth.hall.edition_id != edition.pk:
            errors["booth"] = [_("This booth belongs to another edition.")]
        elif booth.kind == Booth.Kind.PAVILION:
            errors["booth"] = [_("A pavilion is assigned to a delegation, not an exhibitor.")]
        elif booth.state != Booth.State.AVAILABLE:
            errors["booth"] = [_("Booth %(code)s is not available.") % {"code": booth.code}]
    if errors:
        raise ValidationError(errors)


def exhibitor_create(
    *,
    edition: Edition,
    organisation: Organisation,
    by: User,
    booth: Booth | None = None,
    fields: Iterable = (),
    **values,
) -> Exhibitor:
    """Make an organisation an exhibitor of ``edition`` without an application, with its
    profile's texts and fields, and assign it ``booth`` (``booth_assign``, which emails its
    staff). Organisers only (the exhibitors' import)."""
    require_organiser(by)
    exhibitor_check(edition=edition, organisation=organisation, booth=booth)
    try:
        with transaction.atomic():
            exhibitor = Exhibitor.objects.create(
                edition=edition, organisation=organisation, **values
            )
            exhibitor.fields.set(fields)
            if booth is not None:
                booth_assign(booth=booth, exhibitor=exhibitor, by=by)
    except IntegrityError:
        raise ValidationError(
            {
                "organisation": _("%(name)s already exhibits at this edition.")
                % {"name": organisation}
            }
        ) from None
    return exhibitor


def _notify_applicant(application: Application, template: str, context: dict) -> None:
    for user in _applicant_admins(application):
        send_mail_to(user, template, {"application": application, **context})


def _applicant_admins(application: Application) -> Iterable[User]:
    if application.organisation_id:
        return User.objects.filter(
            memberships__organisation_id=application.organisation_id, memberships__role="admin"
        )
    return User.objects.filter(
        delegation_memberships__delegation_id=application.delegation_id,
        delegation_memberships__role="head",
    )


def _exhibitor_staff(exhibitor: Exhibitor) -> Iterable[User]:
    return User.objects.filter(memberships__organisation_id=exhibitor.organisation_id)


def booth_assign(
    *,
    booth: Booth,
    by: User,
    exhibitor: Exhibitor | None = None,
    delegation: Delegation | None = None,
) -> Booth:
    """Assign ``booth`` to an exhibitor (or a pavilion to a delegation). Organisers only.

    The booth row is locked and re-read, so two assignments of the same booth at the same
    moment end with one assignment and a clear error for the other; the one-to-one column and
    the state check constraint make the database refuse anything else. A booth reserved by an
    application can go only to that application's exhibitor. The exhibitor's admins are
    emailed.
    """
    require_organiser(by)
    if (exhibitor is None) == (delegation is None):
        raise ValueError("Assign a booth to exactly one exhibitor or delegation.")
    try:
        with transaction.atomic():
            booth = Booth.objects.select_for_update().select_related("hall").get(pk=booth.pk)
            if booth.state == Booth.State.ASSIGNED:
                raise ValidationError(
                    _("Booth %(code)s has just been assigned to someone else.")
                    % {"code": booth.code}
                )
            target_edition = (exhibitor or delegation).edition_id
            if booth.hall.edition_id != target_edition:
                raise ValidationError(_("This booth belongs to another edition."))
            if booth.state == Booth.State.RESERVED:
                holder = booth.applications.filter(state__in=Application.OPEN_STATES)
                holder = (
                    holder.filter(organisation_id=exhibitor.organisation_id)
                    if exhibitor
                    else holder.filter(delegation=delegation)
                )
                if not holder.exists():
                    raise ValidationError(
                        _("Booth %(code)s is reserved by another applicant.") % {"code": booth.code}
                    )
            if delegation is not None and booth.kind != Booth.Kind.PAVILION:
                raise ValidationError(_("Only a pavilion can be assigned to a delegation."))
            if exhibitor is not None and Booth.objects.filter(exhibitor=exhibitor).exists():
                raise ValidationError(
                    _("%(exhibitor)s already has a booth; release it first.")
                    % {"exhibitor": exhibitor.organisation}
                )
            booth.state = Booth.State.ASSIGNED
            booth.exhibitor = exhibitor
            booth.delegation = delegation
            booth.save(update_fields=["state", "exhibitor", "delegation", "updated_at"])
    except IntegrityError:
        raise ValidationError(
            _("Booth %(code)s has just been assigned to someone else.") % {"code": booth.code}
        ) from None
    if exhibitor is not None:
        for user in _exhibitor_staff(exhibitor):
            send_mail_to(
                user, "exhibitions/email/booth_assigned", {"booth": booth, "exhibitor": exhibitor}
            )
    return booth


def booth_release(*, booth: Booth, by: User) -> Booth:
    """Make an assigned or reserved booth available again. Organisers only.

    A reserved booth's pending application keeps going without a picked booth; exhibitors
    placed in a released pavilion leave it.
    """
    require_organiser(by)
    with transaction.atomic():
        booth = Booth.objects.select_for_update().get(pk=booth.pk)
        if booth.state == Booth.State.AVAILABLE:
            raise ValidationError(_("Booth %(code)s is already available.") % {"code": booth.code})
        audited_update(
            Application.objects.filter(booth=booth, state=Application.State.SUBMITTED), booth=None
        )
        audited_update(Exhibitor.objects.filter(pavilion=booth), pavilion=None)
        booth.state = Booth.State.AVAILABLE
        booth.exhibitor = None
        booth.delegation = None
        booth.save(update_fields=["state", "exhibitor", "delegation", "updated_at"])
    return booth


# --- Applications ---------------------------------------------------------------------------


def application_submit(
    *,
    by: User,
    edition: Edition,
    organisation: Organisation | None = None,
    delegation: Delegation | None = None,
    hall: Hall | None = None,
    booth_kind: str = Booth.Kind.STANDARD,
    size_m2: int = 9,
    booth: Booth | None = None,
    fields=(),
    description_en: str = "",
    description_zh: str = "",
) -> Application:
    """Apply to exhibit at ``edition`` for an organisation (its admins) or a delegation's pavilion
    (its head).

    A booth picked on the floor plan is locked and must still be available; it becomes
    reserved for this application, so two applicants picking the last free booth at the same
    moment end with one reservation and a clear error. One open application per applicant and
    edition (a partial unique constraint).
    """
    if not can_apply_for(by, organisation=organisation, delegation=delegation):
        raise PermissionDenied
    if edition.status == Edition.Status.CONCLUDED:
        raise ValidationError(_("This edition has concluded; applications are closed."))
    if delegation is not None and delegation.edition_id != edition.pk:
        raise ValidationError(_("This delegation belongs to another edition."))
    if hall is not None and hall.edition_id != edition.pk:
        raise ValidationError({"hall": _("This hall belongs to another edition.")})
    if delegation is not None:
        booth_kind = Booth.Kind.PAVILION
    try:
        with transaction.atomic():
            if booth is not None:
                booth = Booth.objects.select_for_update().select_related("hall").get(pk=booth.pk)
                if booth.hall.edition_id != edition.pk:
                    raise ValidationError({"booth": _("This booth belongs to another edition.")})
                if booth.state != Booth.State.AVAILABLE:
                    raise ValidationError(
                        {
                            "booth": _(
                                "Booth %(code)s has just been taken. Pick another one or leave "
                                "the choice to the organisers."
                            )
                            % {"code": booth.code}
                        }
                    )
                booth.state = Booth.State.RESERVED
                booth.save(update_fields=["state", "updated_at"])
                hall = booth.hall
                booth_kind = booth.kind
                size_m2 = booth.size_m2
            application = Application.objects.create(
                edition=edition,
                organisation=organisation,
                delegation=delegation,
                applied_by=by,
                hall=hall,
                booth_kind=booth_kind,
                size_m2=size_m2,
                booth=booth,
                description_en=description_en,
                description_zh=description_zh,
            )
            application.fields.set(fields)
    except IntegrityError:
        raise ValidationError(_("There is already an open application for this edition.")) from None
    _notify_applicant(application, "exhibitions/email/application_received", {})
    return application


def application_withdraw(*, application: Application, by: User) -> Application:
    """The applicant withdraws a submitted application; a reserved booth becomes available."""
    if not can_apply_for(
        by, organisation=application.organisation, delegation=application.delegation
    ):
        raise PermissionDenied
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != Application.State.SUBMITTED:
            raise ValidationError(_("Only an application awaiting a decision can be withdrawn."))
        _free_reservation(application)
        application.state = Application.State.WITHDRAWN
        application.save(update_fields=["state", "updated_at"])
    return application


def _free_reservation(application: Application) -> None:
    if application.booth_id:
        audited_update(
            Booth.objects.filter(pk=application.booth_id, state=Booth.State.RESERVED),
            state=Booth.State.AVAILABLE,
            updated_at=timezone.now(),
        )


def application_approve(*, application: Application, by: User, note: str = "") -> Application:
    """Approve a submitted application. Organisers only.

    An organisation becomes an exhibitor of the edition with the application's profile and
    fields; a booth it picked is assigned to it at once. A delegation's pavilion is assigned
    separately (``booth_assign``). The applicant is emailed.
    """
    require_organiser(by)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation", "delegation", "edition")
            .get(pk=application.pk)
        )
        if application.state != Application.State.SUBMITTED:
            raise ValidationError(_("Only an application awaiting a decision can be approved."))
        application.state = Application.State.APPROVED
        application.decision_note = note
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save(
            update_fields=["state", "decision_note", "decided_at", "decided_by", "updated_at"]
        )
        exhibitor = None
        if application.organisation_id:
            exhibitor, created = Exhibitor.objects.update_or_create(
                edition=application.edition,
                organisation=application.organisation,
                defaults={
                    "application": application,
                    "description_en": application.description_en,
                    "description_zh": application.description_zh,
                },
            )
            exhibitor.fields.set(application.fields.all())
            previous = returning_from(application.organisation, application.edition)
            if created and previous is not None:
                exhibitor_carry_forward(exhibitor=exhibitor, previous=previous)
        if exhibitor is not None and application.booth_id:
            booth_assign(booth=application.booth, exhibitor=exhibitor, by=by)
        elif application.delegation_id and application.booth_id:
            booth_assign(booth=application.booth, delegation=application.delegation, by=by)
    _notify_applicant(application, "exhibitions/email/application_decided", {})
    return application


def returning_from(organisation: Organisation, edition: Edition) -> Exhibitor | None:
    """The organisation's virtual booth at its latest edition before ``edition``, if any."""
    return (
        Exhibitor.objects.filter(organisation=organisation, edition__number__lt=edition.number)
        .select_related("edition")
        .order_by("-edition__number")
        .first()
    )


def _copy_file(source, target, field_name: str) -> None:
    """Store a copy of ``source`` (a stored file) under a new name for ``target``'s field: each
    edition's booth owns its files, so replacing or deleting one leaves the other whole."""
    if not source:
        return
    with source.open("rb") as handle:
        content = ContentFile(handle.read())
    getattr(target, field_name).save(PurePath(source.name).name, content, save=False)


def exhibitor_carry_forward(*, exhibitor: Exhibitor, previous: Exhibitor) -> Exhibitor:
    """Carry a returning exhibitor's virtual booth forward from ``previous`` (its booth at an
    earlier edition): logo, banner, video, contact, products, gallery and brochures, with
    every file copied to a new name. What the new booth already has is kept. Called by
    ``application_approve`` inside its transaction; the exhibitor edits the copy as usual.
    """
    updated = []
    for name in ("logo", "banner"):
        if not getattr(exhibitor, name) and getattr(previous, name):
            _copy_file(getattr(previous, name), exhibitor, name)
            updated.append(name)
    for name in ("video_url", "contact_name", "contact_email", "contact_phone"):
        if not getattr(exhibitor, name) and getattr(previous, name):
            setattr(exhibitor, name, getattr(previous, name))
            updated.append(name)
    if updated:
        thumbnails = ["logo_thumbnail"] if "logo" in updated else []
        exhibitor.save(update_fields=[*updated, *thumbnails, "updated_at"])
    if not exhibitor.products.exists():
        for product in previous.products.order_by("order", "id"):
            copy = Product(
                exhibitor=exhibitor,
                name_en=product.name_en,
                name_zh=product.name_zh,
                summary_en=product.summary_en,
                summary_zh=product.summary_zh,
                order=product.order,
            )
            _copy_file(product.image, copy, "image")
            copy.save()
    if not exhibitor.gallery.exists():
        for image in previous.gallery.order_by("order", "id"):
            copy = GalleryImage(
                exhibitor=exhibitor,
                caption_en=image.caption_en,
                caption_zh=image.caption_zh,
                order=image.order,
            )
            _copy_file(image.image, copy, "image")
            copy.save()
    if not exhibitor.brochures.exists():
        for brochure in previous.brochures.order_by("title_en", "id"):
            copy = Brochure(
                exhibitor=exhibitor, title_en=brochure.title_en, title_zh=brochure.title_zh
            )
            _copy_file(brochure.file, copy, "file")
            copy.save()
    return exhibitor


def application_reject(*, application: Application, by: User, note: str) -> Application:
    """Reject a submitted application with a reason the applicant sees. Organisers only."""
    require_organiser(by)
    if not note.strip():
        raise ValidationError({"note": _("Give the applicant a reason.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != Application.State.SUBMITTED:
            raise ValidationError(_("Only an application awaiting a decision can be rejected."))
        _free_reservation(application)
        application.state = Application.State.REJECTED
        application.decision_note = note.strip()
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save(
            update_fields=["state", "decision_note", "decided_at", "decided_by", "updated_at"]
        )
    _notify_applicant(application, "exhibitions/email/application_decided", {})
    return application


def pavilion_place(*, booth: Booth, organisation: Organisation, by: User) -> Exhibitor:
    """Place one of the delegation's member organisations in its pavilion.

    Only the delegation's head (or an organiser) may; the organisation must belong to the
    delegation. It becomes an exhibitor of the edition, shown inside the pavilion.
    """
    booth = Booth.objects.select_related("delegation").get(pk=booth.pk)
    if not can_place_in_pavilion(by, booth):
        raise PermissionDenied
    delegation = booth.delegation
    if not delegation.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(_("This organisation is not a member of the delegation."))
    with transaction.atomic():
        exhibitor, created = Exhibitor.objects.get_or_create(
            edition_id=delegation.edition_id,
            organisation=organisation,
            defaults={
                "pavilion": booth,
                "delegation": delegation,
                "description_en": organisation.description_en,
                "description_zh": organisation.description_zh,
            },
        )
        if not created:
            if Booth.objects.filter(exhibitor=exhibitor).exists():
                raise ValidationError(_("This organisation already has its own booth."))
            exhibitor.pavilion = booth
            exhibitor.delegation = delegation
            exhibitor.save(update_fields=["pavilion", "delegation", "updated_at"])
        else:
            exhibitor.fields.set(organisation.fields.all())
    return exhibitor


VIEWS_FLUSH_EVERY = 20


def _pending_views_key(exhibitor_id: int) -> str:
    return f"exhibitions:pending-views:{exhibitor_id}"


def _seconds_left_today() -> int:
    now = timezone.localtime()
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(int((midnight - now).total_seconds()), 1)


def exhibitor_record_view(*, exhibitor_id: int, visitor: str | None = None) -> bool:
    """Count a view of a booth page, once per ``visitor`` and day (China time); return
    whether it counted.

    ``visitor`` is an opaque key of the reader (their account, their session, or a digest of
    their address and browser); a reader coming back the same day is not counted again: a
    key in the shared cache, kept until midnight, remembers them (one ``add``). Views gather
    in the shared cache and reach the database twenty at a time (one UPDATE, safe under
    concurrency), so a popular booth page costs no write per visitor and can be served from
    the page cache. ``exhibitor_pending_views`` adds what has not reached it yet.
    """
    if visitor is not None:
        day = timezone.localdate().isoformat()
        seen = f"exhibitions:viewed:{exhibitor_id}:{day}:{visitor}"
        if not cache.add(seen, 1, _seconds_left_today()):
            return False
    key = _pending_views_key(exhibitor_id)
    try:
        pending = cache.incr(key)  # the common case first: one round trip fewer
    except ValueError:
        pending = 1 if cache.add(key, 1, None) else cache.incr(key)
    if pending >= VIEWS_FLUSH_EVERY:
        cache.decr(key, pending)
        # A counter: not an organiser's doing, so not in the audit log (ciep/audit.py).
        Exhibitor.objects.filter(pk=exhibitor_id).update(page_views=F("page_views") + pending)
    return True


def exhibitor_pending_views(exhibitor_id: int) -> int:
    return cache.get(_pending_views_key(exhibitor_id)) or 0


# --- Negotiations ---------------------------------------------------------------------------


def slot_publish(
    *,
    exhibitor: Exhibitor,
    by: User,
    starts_at: datetime,
    duration_minutes: int,
    mode: str,
    meeting_link: str = "",
) -> Slot:
    """Offer a negotiation time. Exhibitor staff only; in the future, not overlapping another
    of the exhibitor's slots; an online slot needs a meeting link."""
    if not is_exhibitor_staff(by, exhibitor):
        raise PermissionDenied
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    if mode == Slot.Mode.ONLINE and not meeting_link:
        raise ValidationError({"meeting_link": _("An online slot needs a meeting link.")})
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    with transaction.atomic():
        Exhibitor.objects.select_for_update().get(pk=exhibitor.pk)
        overlapping = [
            slot
            for slot in exhibitor.slots.filter(
                starts_at__lt=ends_at, starts_at__gt=starts_at - timedelta(hours=4)
            )
            if slot.ends_at > starts_at
        ]
        if overlapping:
            raise ValidationError(
                {
                    "starts_at": _("This time overlaps another of your slots (%(slot)s).")
                    % {"slot": overlapping[0]}
                }
            )
        try:
            with transaction.atomic():
                return Slot.objects.create(
                    exhibitor=exhibitor,
                    starts_at=starts_at,
                    duration_minutes=duration_minutes,
                    mode=mode,
                    meeting_link=meeting_link if mode == Slot.Mode.ONLINE else "",
                )
        except IntegrityError:
            raise ValidationError(
                {"starts_at": _("You already offer a slot at this time.")}
            ) from None


def slot_withdraw(*, slot: Slot, by: User) -> None:
    """Remove a slot nobody holds. Exhibitor staff only."""
    if not is_exhibitor_staff(by, slot.exhibitor):
        raise PermissionDenied
    with transaction.atomic():
        slot = Slot.objects.select_for_update().get(pk=slot.pk)
        meetings_lapse(slot=slot)
        if slot.meetings.filter(state__in=Meeting.LIVE_STATES).exists():
            raise ValidationError(
                _(
                    "Someone holds this slot: answer the request, or call the meeting off or "
                    "move it from its page."
                )
            )
        slot.delete()


def meetings_lapse(*, slot: Slot | int | None = None, requester: User | None = None) -> int:
    """Mark requests and proposals whose hold has expired as lapsed; return how many.

    The lapsing rows are locked first and only those are updated, so two callers at the same
    moment lapse (and tell the interpreter of) each meeting once: the second one waits for the
    lock and then finds the meeting lapsed already. Pages call it as they are read, and a
    periodic task (``exhibitions.tasks.meetings_lapse``) so that nobody waits for a reader.
    """
    now = timezone.now()
    meetings = Meeting.objects.filter(state__in=Meeting.HOLDING_STATES, hold_until__lte=now)
    if slot is not None:
        meetings = meetings.filter(slot=slot)
    if requester is not None:
        meetings = meetings.filter(requester=requester)
    with transaction.atomic():
        interpreted = list(
            meetings.filter(interpreter__isnull=False)
            .select_for_update(of=("self",))
            .select_related("slot__exhibitor__organisation", "requester", "interpreter")
            .order_by("pk")
        )
        count = audited_update(meetings, state=Meeting.State.LAPSED, updated_at=now)
        for meeting in interpreted:
            meeting.state, meeting.updated_at = Meeting.State.LAPSED, now
            interpreter_release(meeting=meeting)
    return count


def _hold_until(slot: Slot) -> datetime:
    return min(timezone.now() + HOLD_PERIOD, slot.starts_at)


def _book(*, slot: Slot, requester: User, state: str, **values) -> Meeting:
    """Create a live meeting on ``slot`` under row locks on the slot and the person.

    The slot lock and the partial unique constraint on the slot decide who gets a slot; the
    lock on the person's row serialises their bookings so that overlapping meetings of
    different lengths are refused too (the unique constraint on person and start time backs it
    up).
    """
    slot = Slot.objects.select_for_update().select_related("exhibitor").get(pk=slot.pk)
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This slot has already started."))
    meetings_lapse(slot=slot)
    if slot.meetings.filter(state__in=Meeting.LIVE_STATES).exists():
        raise ValidationError(_("This slot has just been taken. Please choose another one."))
    User.objects.select_for_update().filter(pk=requester.pk).first()
    meetings_lapse(requester=requester)
    clash = (
        Meeting.objects.filter(requester=requester, state__in=Meeting.LIVE_STATES)
        .filter(starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("You already have a meeting at this time (%(slot)s).") % {"slot": clash.slot}
        )
    try:
        with transaction.atomic():
            return Meeting.objects.create(
                slot=slot,
                requester=requester,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                state=state,
                hold_until=_hold_until(slot) if state in Meeting.HOLDING_STATES else None,
                **values,
            )
    except IntegrityError:
        raise ValidationError(
            _("This slot has just been taken. Please choose another one.")
        ) from None


def _notify_meeting(meeting: Meeting, change: str, *, to_exhibitor: bool) -> None:
    context = {"meeting": meeting, "slot": meeting.slot, "change": change}
    if to_exhibitor:
        for user in _exhibitor_staff(meeting.slot.exhibitor):
            send_mail_to(user, "exhibitions/email/meeting_changed", context)
    else:
        send_mail_to(meeting.requester, "exhibitions/email/meeting_changed", context)


def _notify_both(meeting: Meeting, change: str, **extra) -> None:
    """Mail the requester and each of the exhibitor's staff, once each, in their languages."""
    context = {"meeting": meeting, "slot": meeting.slot, "change": change, **extra}
    people = {meeting.requester_id: meeting.requester}
    for user in _exhibitor_staff(meeting.slot.exhibitor):
        people.setdefault(user.pk, user)
    for user in people.values():
        send_mail_to(user, "exhibitions/email/meeting_changed", context)


def interpreter_release(*, meeting: Meeting) -> None:
    """Tell the interpreter of a meeting that no longer takes place (declined, answered with
    another time, cancelled by either party, lapsed, or deleted with its requester's account):
    once, in the language of their mail, with the meeting as a ``CANCELLED`` .ics under its
    UID, after the caller's transaction commits (nothing if it rolls back). Every service that
    ends a meeting calls it, and only those; a meeting without an interpreter mails nobody.
    The interpreter stays on the meeting's record, which no longer counts in their calendar.
    """
    _notify_interpreter(meeting, meeting.interpreter, "cancelled")


def meetings_delete_release(*, meetings, by: User) -> int:
    """Before organisers delete ``meetings`` from the admin (or the slots or exhibitors that
    hold them), tell the interpreters of those still to take place, as ``interpreter_release``
    does; return how many were told. Organisers only; call it in the deletion's transaction."""
    require_organiser(by)
    released = 0
    for meeting in (
        meetings.filter(
            state__in=Meeting.LIVE_STATES, interpreter__isnull=False, ends_at__gt=timezone.now()
        )
        .exclude(state__in=Meeting.HOLDING_STATES, hold_until__lte=timezone.now())
        .select_related("slot__exhibitor__organisation", "requester", "interpreter")
        .order_by("pk")
    ):
        meeting.state = Meeting.State.CANCELLED
        interpreter_release(meeting=meeting)
        released += 1
    return released


def _meeting_end(meeting: Meeting, *, state: str, fields: Iterable[str] = ()) -> None:
    """Save a locked meeting in an ended ``state`` (with ``fields`` the caller set) and
    release its interpreter; inside the caller's transaction."""
    meeting.state = state
    meeting.hold_until = None
    meeting.save(update_fields=["state", "hold_until", *fields, "updated_at"])
    interpreter_release(meeting=meeting)


def _notify_interpreter(meeting: Meeting, interpreter: Interpreter | None, change: str, **extra):
    """Mail an interpreter of the pool (who has no account) what changed in a meeting they
    interpret, in the language of their mail, with the meeting as an .ics: ``assigned``,
    ``confirmed`` (a request they were assigned to is accepted) and ``moved`` as the meeting
    stands; ``unassigned`` and ``cancelled`` as ``CANCELLED``, under
    the same UID, so their calendar drops it. An interpreter without an address is skipped."""
    if interpreter is None or not interpreter.email:
        return
    status = "CANCELLED" if change in ("unassigned", "cancelled") else None
    send_mail_to(
        interpreter.email,
        "exhibitions/email/interpreter_changed",
        {
            "meeting": meeting,
            "slot": meeting.slot,
            "interpreter": interpreter,
            "change": change,
            "recipient_name": interpreter.name,
            **extra,
        },
        language=Language(interpreter.preferred_language).django_code,
        attachments=[
            (
                f"ciep-meeting-{meeting.pk}.ics",
                meeting_calendar(meeting, None, status=status),
                "text/calendar",
            )
        ],
    )


def slot_move(*, slot: Slot, by: User, starts_at: datetime) -> Slot:
    """Move a slot to another time, with the meeting it holds. Exhibitor staff only.

    The new time must be in the future and clear of the exhibitor's other slots and of the
    requester's other meetings (checked under the row locks ``_book`` takes) and, when the
    meeting has an interpreter, of the interpreter's other meetings (under their row lock, as
    ``interpreter_assign`` takes it): a move they cannot follow is refused. Both parties of
    a live meeting on the slot are mailed, with the time it had before; a request's hold
    never runs past the new start.
    """
    if not is_exhibitor_staff(by, slot.exhibitor):
        raise PermissionDenied
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    try:
        with transaction.atomic():
            Exhibitor.objects.select_for_update().get(pk=slot.exhibitor_id)
            slot = Slot.objects.select_for_update().select_related("exhibitor").get(pk=slot.pk)
            previous_start = slot.starts_at
            if starts_at == previous_start:
                raise ValidationError({"starts_at": _("The slot is already at this time.")})
            ends_at = starts_at + timedelta(minutes=slot.duration_minutes)
            overlapping = [
                other
                for other in slot.exhibitor.slots.exclude(pk=slot.pk).filter(
                    starts_at__lt=ends_at, starts_at__gt=starts_at - timedelta(hours=4)
                )
                if other.ends_at > starts_at
            ]
            if overlapping:
                raise ValidationError(
                    {
                        "starts_at": _("This time overlaps another of your slots (%(slot)s).")
                        % {"slot": overlapping[0]}
                    }
                )
            meetings_lapse(slot=slot)
            meeting = (
                slot.meetings.filter(state__in=Meeting.LIVE_STATES)
                .select_for_update(of=("self",))
                .select_related("requester", "interpreter")
                .first()
            )
            if meeting is not None:
                User.objects.select_for_update().filter(pk=meeting.requester_id).first()
                clash = (
                    Meeting.objects.filter(
                        requester_id=meeting.requester_id, state__in=Meeting.LIVE_STATES
                    )
                    .exclude(pk=meeting.pk)
                    .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
                    .exists()
                )
                if clash:
                    raise ValidationError(
                        {"starts_at": _("The person you meet has another meeting at this time.")}
                    )
                # The organisers chose this interpreter for these two sides: a move that the
                # interpreter cannot follow is refused rather than leaving them without one.
                # The meeting's row is locked before the interpreter's, as interpreter_assign
                # locks them, so the two never wait for each other.
                if meeting.interpreter_id is not None:
                    interpreter = Interpreter.objects.select_for_update().get(
                        pk=meeting.interpreter_id
                    )
                    if _interpreter_busy(interpreter, starts_at, ends_at, besides=meeting):
                        raise ValidationError(
                            {
                                "starts_at": _(
                                    "%(name)s, the interpreter the organisers assigned to this "
                                    "meeting, interprets another meeting at this time. Choose "
                                    "another time, or ask the organisers for another "
                                    "interpreter first."
                                )
                                % {"name": interpreter.name}
                            }
                        )
            slot.starts_at = starts_at
            slot.save(update_fields=["starts_at", "updated_at"])
            if meeting is not None:
                meeting.starts_at, meeting.ends_at = starts_at, ends_at
                if meeting.hold_until is not None:
                    meeting.hold_until = min(meeting.hold_until, starts_at)
                meeting.save(update_fields=["starts_at", "ends_at", "hold_until", "updated_at"])
                meeting.slot = slot
                _notify_both(meeting, "moved", previous_start=previous_start)
                _notify_interpreter(
                    meeting, meeting.interpreter, "moved", previous_start=previous_start
                )
    except IntegrityError:
        raise ValidationError({"starts_at": _("You already offer a slot at this time.")}) from None
    return slot


def meeting_call_off(*, meeting: Meeting, by: User, note: str = "") -> Meeting:
    """The exhibitor calls off an accepted meeting (the slot becomes free), with a note the
    requester reads. Exhibitor staff only; both parties are mailed, and calendars receive
    the meeting as ``CANCELLED``."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if not is_exhibitor_staff(by, meeting.slot.exhibitor):
            raise PermissionDenied
        if meeting.state != Meeting.State.ACCEPTED:
            raise ValidationError(_("Only an accepted meeting can be called off."))
        if meeting.ends_at <= timezone.now():
            raise ValidationError(_("This meeting is over."))
        meeting.note = note.strip() or meeting.note
        _meeting_end(meeting, state=Meeting.State.CANCELLED, fields=["note"])
        _notify_both(meeting, "called_off")
    return meeting


def languages_checked(languages: Iterable[str] | str) -> str:
    """The stored form (``"en,zh"``) of languages given as codes or as a written list;
    refuses an empty or unknown choice."""
    if isinstance(languages, str):
        codes = language_codes(languages)
    else:
        codes = list(dict.fromkeys(languages))
        if set(codes) - set(Language.values):
            raise ValidationError({"languages": _("Choose languages from the list.")})
    if not codes:
        raise ValidationError({"languages": _("Say which languages you speak.")})
    return ",".join(codes)


def meeting_request(
    *,
    slot: Slot,
    by: User,
    languages: Iterable[str] | str,
    message: str = "",
    interpreter_requested: bool = False,
) -> Meeting:
    """A signed-in person asks for a negotiation in ``slot``, saying which languages they
    speak (and whether they want an interpreter); the request holds the slot for
    ``HOLD_PERIOD`` (never beyond its start) and then lapses. The exhibitor's staff are
    emailed. An exhibitor's own staff cannot book it."""
    if not by.is_authenticated:
        raise PermissionDenied
    if is_exhibitor_staff(by, slot.exhibitor):
        raise ValidationError(_("You cannot book a meeting with your own organisation."))
    languages = languages_checked(languages)
    with transaction.atomic():
        meeting = _book(
            slot=slot,
            requester=by,
            state=Meeting.State.REQUESTED,
            message=message,
            languages=languages,
            interpreter_requested=interpreter_requested,
        )
        _emit_meeting(meeting, slot, WebhookEvent.MEETING_REQUESTED)
    _notify_meeting(meeting, "requested", to_exhibitor=True)
    return meeting


def _emit_meeting(meeting: Meeting, slot: Slot, event: str) -> None:
    webhook_emit(
        organisation_ids=[slot.exhibitor.organisation_id],
        event=event,
        data={
            "meeting": meeting.pk,
            "exhibitor": slot.exhibitor_id,
            "slot": slot.pk,
            "starts_at": meeting.starts_at,
            "state": meeting.state,
        },
    )


def _locked_meeting(meeting: Meeting) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("slot__exhibitor__organisation", "requester")
        .get(pk=meeting.pk)
    )
    if meeting.is_lapsed:
        meeting.state = Meeting.State.LAPSED
    return meeting


def meeting_accept(*, meeting: Meeting, by: User) -> Meeting:
    """Accept a meeting: the exhibitor accepts a request, or the requester accepts another time
    the exhibitor proposed. Both sides are emailed."""
    meetings_lapse(slot=meeting.slot_id)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if meeting.state == Meeting.State.REQUESTED:
            if not is_exhibitor_staff(by, meeting.slot.exhibitor):
                raise PermissionDenied
        elif meeting.state == Meeting.State.PROPOSED:
            if by.pk != meeting.requester_id:
                raise PermissionDenied
        else:
            raise ValidationError(_("This meeting can no longer be accepted."))
        meeting.state = Meeting.State.ACCEPTED
        meeting.hold_until = None
        meeting.save(update_fields=["state", "hold_until", "updated_at"])
        _emit_meeting(meeting, meeting.slot, WebhookEvent.MEETING_ACCEPTED)
        _notify_interpreter(meeting, meeting.interpreter, "confirmed")
    _notify_meeting(meeting, "accepted", to_exhibitor=by.pk == meeting.requester_id)
    return meeting


def meeting_decline(*, meeting: Meeting, by: User, note: str = "") -> Meeting:
    """Decline a request (exhibitor staff, with a note) or a proposed time (the requester)."""
    meetings_lapse(slot=meeting.slot_id)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        exhibitor_side = meeting.state == Meeting.State.REQUESTED
        if exhibitor_side:
            if not is_exhibitor_staff(by, meeting.slot.exhibitor):
                raise PermissionDenied
        elif meeting.state == Meeting.State.PROPOSED:
            if by.pk != meeting.requester_id:
                raise PermissionDenied
        else:
            raise ValidationError(_("This meeting can no longer be declined."))
        if exhibitor_side:
            meeting.note = note.strip()
        _meeting_end(meeting, state=Meeting.State.DECLINED, fields=["note"])
    _notify_meeting(meeting, "declined", to_exhibitor=not exhibitor_side)
    return meeting


def meeting_propose(*, meeting: Meeting, slot: Slot, by: User, note: str = "") -> Meeting:
    """The exhibitor answers a request with another of its slots. The request is declined with
    the note and a proposal on ``slot`` takes its place, held for the requester to accept."""
    meetings_lapse(slot=meeting.slot_id)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if not is_exhibitor_staff(by, meeting.slot.exhibitor):
            raise PermissionDenied
        if meeting.state != Meeting.State.REQUESTED:
            raise ValidationError(_("Only a pending request can be answered with another time."))
        if slot.exhibitor_id != meeting.slot.exhibitor_id or slot.pk == meeting.slot_id:
            raise ValidationError({"slot": _("Choose another of your own slots.")})
        meeting.note = note.strip()
        _meeting_end(meeting, state=Meeting.State.DECLINED, fields=["note"])
        proposal = _book(
            slot=slot,
            requester=meeting.requester,
            state=Meeting.State.PROPOSED,
            message=meeting.message,
            languages=meeting.languages,
            note=note.strip(),
            replaces=meeting,
        )
    _notify_meeting(proposal, "proposed", to_exhibitor=False)
    return proposal


def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    """The requester cancels a live meeting; the slot becomes free. The exhibitor is emailed."""
    meetings_lapse(slot=meeting.slot_id)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if by.pk != meeting.requester_id:
            raise PermissionDenied
        if meeting.state not in Meeting.LIVE_STATES:
            raise ValidationError(_("This meeting is no longer live."))
        _meeting_end(meeting, state=Meeting.State.CANCELLED)
        _emit_meeting(meeting, meeting.slot, WebhookEvent.MEETING_CANCELLED)
    _notify_meeting(meeting, "cancelled", to_exhibitor=True)
    return meeting


def meeting_record_outcome(*, meeting: Meeting, by: User, outcome: str) -> Meeting:
    """The exhibitor's staff say how an accepted meeting went (held, no-show, held with a
    follow-up), once its slot has begun; they may correct it later. The outcome feeds the
    exhibitor's figures; nobody is emailed."""
    if outcome not in Meeting.Outcome.values:
        raise ValidationError({"outcome": _("Choose how the meeting went.")})
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if not is_exhibitor_staff(by, meeting.slot.exhibitor):
            raise PermissionDenied
        if meeting.state != Meeting.State.ACCEPTED:
            raise ValidationError(_("Only an accepted meeting has an outcome."))
        if meeting.starts_at > timezone.now():
            raise ValidationError(_("Record the outcome once the meeting has begun."))
        meeting.outcome = outcome
        meeting.outcome_recorded_at = timezone.now()
        meeting.save(update_fields=["outcome", "outcome_recorded_at", "updated_at"])
    return meeting


def meeting_interpreter_request(*, meeting: Meeting, by: User) -> Meeting:
    """Either party of a live meeting asks the organisers for an interpreter."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if by.pk != meeting.requester_id and not is_exhibitor_staff(by, meeting.slot.exhibitor):
            raise PermissionDenied
        if meeting.state not in Meeting.LIVE_STATES:
            raise ValidationError(_("This meeting is no longer live."))
        if meeting.interpreter_requested or meeting.interpreter_id is not None:
            raise ValidationError(_("An interpreter has already been asked for."))
        meeting.interpreter_requested = True
        meeting.save(update_fields=["interpreter_requested", "updated_at"])
    return meeting


def _interpreter_busy(
    interpreter: Interpreter, starts_at: datetime, ends_at: datetime, *, besides: Meeting
) -> Meeting | None:
    """The interpreter's first live meeting other than ``besides`` overlapping the time (an
    expired request does not count); the caller holds the interpreter's row lock."""
    return (
        Meeting.objects.filter(interpreter=interpreter, state__in=Meeting.LIVE_STATES)
        .exclude(pk=besides.pk)
        .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(state__in=Meeting.HOLDING_STATES, hold_until__lte=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )


def interpreter_assign(*, meeting: Meeting, interpreter: Interpreter | None, by: User) -> Meeting:
    """Organisers assign an interpreter of the pool to a live meeting (or remove one with
    ``None``). The interpreter must be available and speak a language of each side that said
    what it speaks; an interpreter is never booked for two overlapping live meetings: the
    interpreter's row is locked while their calendar is read, so two organisers assigning the
    same person at once end with one assignment and a clear error.

    When the interpreter changes, the one assigned gets the meeting's time and place with an
    .ics, the one taken off is told (with the event ``CANCELLED``), and both parties learn
    whether an interpreter comes: each by mail in their language, once, after commit.
    Assigning the interpreter the meeting already has changes and mails nothing."""
    require_organiser(by)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if meeting.state not in Meeting.LIVE_STATES:
            raise ValidationError(_("This meeting is no longer live."))
        previous = meeting.interpreter
        if (interpreter and interpreter.pk) == (previous and previous.pk):
            return meeting
        if interpreter is not None:
            interpreter = Interpreter.objects.select_for_update().get(pk=interpreter.pk)
            if not interpreter.is_active:
                raise ValidationError(
                    {"interpreter": _("This interpreter takes no assignments now.")}
                )
            theirs = set(language_codes(interpreter.languages))
            for side in (meeting.languages, meeting.slot.exhibitor.languages):
                codes = set(language_codes(side))
                if codes and not codes & theirs:
                    raise ValidationError(
                        {"interpreter": _("The interpreter speaks no language of one side.")}
                    )
            busy = _interpreter_busy(
                interpreter, meeting.starts_at, meeting.ends_at, besides=meeting
            )
            if busy is not None:
                raise ValidationError(
                    {
                        "interpreter": _(
                            "%(name)s interprets another meeting at this time (%(when)s)."
                        )
                        % {
                            "name": interpreter.name,
                            "when": timezone.localtime(busy.starts_at).strftime("%Y-%m-%d %H:%M"),
                        }
                    }
                )
        meeting.interpreter = interpreter
        meeting.save(update_fields=["interpreter", "updated_at"])
        _notify_interpreter(meeting, previous, "unassigned")
        _notify_interpreter(meeting, interpreter, "assigned")
        _notify_both(meeting, "interpreter_assigned" if interpreter else "interpreter_removed")
    return meeting


# --- The exhibitor's own booth page ---------------------------------------------------------


def exhibitor_update(*, exhibitor: Exhibitor, data: dict, by: User) -> Exhibitor:
    """Save an exhibitor's booth page (profile, logo, fields); its organisation's members may."""
    if not is_exhibitor_staff(by, exhibitor):
        raise PermissionDenied
    with transaction.atomic():
        return save_data(exhibitor, data)


def exhibitor_content_add(*, exhibitor: Exhibitor, model, data: dict, by: User):
    """Add a gallery image, product or brochure (``model``) to an exhibitor's booth page; its
    organisation's members may."""
    if not is_exhibitor_staff(by, exhibitor):
        raise PermissionDenied
    with transaction.atomic():
        return save_data(model(exhibitor=exhibitor), data)


def exhibitor_content_remove(*, item, by: User) -> None:
    """Remove a gallery image, product or brochure from its exhibitor's booth page."""
    if not is_exhibitor_staff(by, item.exhibitor):
        raise PermissionDenied
    item.delete()
