"""Writes of the conference core. Views, forms, admin actions and commands call these."""

import hashlib
import re
import secrets
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .areas import EXPORTS_SCOPE, all_areas, api_scopes, consent_withdrawal
from .audit import audited_update
from .bilingual import edition_ordinal
from .mail import send_mail_to
from .models import (
    DJANGO_CODES,
    AccessToken,
    Attendance,
    Consent,
    Delegation,
    DelegationDocument,
    DelegationMember,
    Edition,
    EditionChange,
    Invitation,
    Membership,
    Organisation,
    OutgoingMail,
    User,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)
from .permissions import (
    can_manage_delegation,
    can_manage_organisation,
    is_delegation_head,
    is_organiser,
    require_organiser,
)

# --- Editions -------------------------------------------------------------------------------


# --- Accounts -------------------------------------------------------------------------------


def user_set_language(*, user: User, language: str) -> User:
    """Remember the interface language ``user`` picked: pages without a language in their
    address, mails and calendars then use it. Any signed-in person, for themselves."""
    if language not in DJANGO_CODES:
        raise ValueError(f"Unknown language {language!r}")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


def _edition_move(*, edition: Edition, by: User, source: str, target: str, refusal) -> Edition:
    require_organiser(by)
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status != source:
            raise ValidationError(refusal)
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
    return locked


def edition_open(*, edition: Edition, by: User) -> Edition:
    """Open a planned edition (registrations, applications). Organisers only."""
    return _edition_move(
        edition=edition,
        by=by,
        source=Edition.Status.PLANNED,
        target=Edition.Status.OPEN,
        refusal=_("Only a planned edition can be opened."),
    )


def edition_conclude(*, edition: Edition, by: User) -> Edition:
    """Conclude an open edition: its report stands, its pages stay. Organisers only."""
    return _edition_move(
        edition=edition,
        by=by,
        source=Edition.Status.OPEN,
        target=Edition.Status.CONCLUDED,
        refusal=_("Only an open edition can be concluded."),
    )


def edition_make_current(*, edition: Edition, by: User) -> Edition:
    """Make ``edition`` the one current edition (the database allows only one). Organisers
    only."""
    require_organiser(by)
    with transaction.atomic():
        audited_update(
            Edition.objects.filter(is_current=True).exclude(pk=edition.pk), is_current=False
        )
        audited_update(Edition.objects.filter(pk=edition.pk), is_current=True)
    edition.is_current = True
    return edition


# What a clone of an edition copies of the edition itself; its dates move by whole years.
CLONED_EDITION_FIELDS = (
    "title_en",
    "title_zh",
    "theme_en",
    "theme_zh",
    "slogan_en",
    "slogan_zh",
    "city_en",
    "city_zh",
    "venue_en",
    "venue_zh",
    "format",
    "hosts_en",
    "hosts_zh",
    "co_hosts_en",
    "co_hosts_zh",
)


def edition_clone(*, source: Edition, by: User) -> Edition:
    """A new planned edition numbered after the last one, set up like ``source``: its texts
    and format, its dates a year after the last edition's, and each area's setup (halls and
    booth layout, sections, venues: the areas' ``clone_edition`` hooks), in one transaction.

    Nothing of who took part is copied (exhibitors, booth assignments, attendees). Organisers
    call it (the editions' admin action).
    """
    from .permissions import is_organiser

    if not is_organiser(by):
        raise PermissionDenied
    with transaction.atomic():
        last = Edition.objects.select_for_update().order_by("-number").first()
        years = (last.year - source.year) + 1
        target = Edition(
            number=last.number + 1,
            year=last.year + 1,
            status=Edition.Status.PLANNED,
            start_date=_years_later(source.start_date, years),
            end_date=_years_later(source.end_date, years),
            **{name: getattr(source, name) for name in CLONED_EDITION_FIELDS},
        )
        # "The 20th Conference ..." -> "The 21st Conference ...", "第20届" -> "第21届".
        target.title_en = re.sub(
            rf"\b{source.number}(st|nd|rd|th)\b",
            edition_ordinal(target.number, "en").split()[0],
            target.title_en,
        )
        target.title_zh = target.title_zh.replace(f"第{source.number}届", f"第{target.number}届")
        target.full_clean()
        target.save()
        for area in all_areas():
            hook = area.hook("clone_edition")
            if hook is not None:
                hook(source=source, target=target)
    return target


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def edition_reschedule(
    *,
    edition: Edition,
    start_date: date,
    end_date: date,
    format: str,
    reason_en: str,
    reason_zh: str = "",
    by: User,
) -> EditionChange:
    """Move an edition to new dates or a new format, keeping a record and a public notice.
    Organisers only."""
    require_organiser(by)
    if end_date < start_date:
        raise ValidationError({"end_date": _("The edition cannot end before it starts.")})
    if (start_date, end_date, format) == (edition.start_date, edition.end_date, edition.format):
        raise ValidationError(_("Nothing changes: the dates and the format are the same."))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        change = EditionChange.objects.create(
            edition=edition,
            previous_start_date=edition.start_date,
            previous_end_date=edition.end_date,
            previous_format=edition.format,
            new_start_date=start_date,
            new_end_date=end_date,
            new_format=format,
            reason_en=reason_en,
            reason_zh=reason_zh,
            changed_by=by,
        )
        edition.start_date, edition.end_date, edition.format = start_date, end_date, format
        edition.save(update_fields=["start_date", "end_date", "format", "updated_at"])
        edition_change_announce(change=change)
    return change


def edition_people_concerned(edition: Edition) -> set[int]:
    """Ids of the people whose plans tie them to ``edition``: those registered to attend it,
    and whoever each area names (``Area.people_concerned``)."""
    people = set(
        Attendance.objects.filter(edition=edition, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    for area in all_areas():
        hook = area.hook("people_concerned")
        if hook is not None:
            people |= set(hook(edition))
    return people


def edition_change_announce(*, change: EditionChange) -> int:
    """Mail everyone concerned by the edition (``edition_people_concerned``) its new dates
    and format with the reason; each person once, in their own language, after the caller's
    transaction commits. Returns how many were told. Called by ``edition_reschedule``."""
    ids = edition_people_concerned(change.edition)
    people = User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk")
    told = 0
    for person in people:
        send_mail_to(
            person, "ciep/email/edition_rescheduled", {"change": change, "edition": change.edition}
        )
        told += 1
    return told


# --- Writing a form's data -------------------------------------------------------------------


def save_data(instance, data: dict):
    """Set ``data`` (field name -> value, e.g. a valid model form's ``cleaned_data``) on
    ``instance`` as a model form would (a file field given ``False`` is cleared, ``None`` kept),
    save it, then set its many-to-many fields. Services call it inside their transaction;
    a name that is no field of the model is a programming error (``FieldDoesNotExist``)."""
    many = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        else:
            field.save_form_data(instance, value)
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    return instance


def user_profile_update(*, user: User, data: dict, by: User) -> User:
    """Save a person's own profile (name, language, how they come); only they may."""
    if by.pk != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        return save_data(user, data)


# --- Organisations --------------------------------------------------------------------------


def organisation_create(*, by: User, data: dict) -> Organisation:
    """Create an organisation from its profile's data; its creator becomes its first admin.

    The organisation is unverified until an organiser verifies it.
    """
    with transaction.atomic():
        organisation = save_data(Organisation(), data)
        Membership.objects.create(organisation=organisation, user=by, role=Membership.Role.ADMIN)
    return organisation


def organisation_update(*, organisation: Organisation, data: dict, by: User) -> Organisation:
    """Save an organisation's profile; its admins may."""
    if not can_manage_organisation(by, organisation):
        raise PermissionDenied
    with transaction.atomic():
        return save_data(organisation, data)


def organisation_verify(*, organisation: Organisation, by: User) -> Organisation:
    """Vouch for an organisation: its pages become public; its admins are told. Organisers
    only."""
    require_organiser(by)
    if organisation.verified_at is None:
        organisation.verified_at = timezone.now()
        organisation.verified_by = by
        organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
        for membership in organisation.memberships.filter(
            role=Membership.Role.ADMIN
        ).select_related("user"):
            send_mail_to(
                membership.user,
                "ciep/email/organisation_verified",
                {"organisation": organisation},
            )
    return organisation


def organisation_unverify(*, organisation: Organisation, by: User) -> Organisation:
    """Withdraw an organisation's verification. Organisers only."""
    require_organiser(by)
    organisation.verified_at = None
    organisation.verified_by = None
    organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
    return organisation


def _invite(*, email: str, by: User, role: str, organisation=None, delegation=None) -> Invitation:
    email = email.strip().lower()
    target = organisation or delegation
    already = (
        Membership.objects.filter(organisation=organisation, user__email__iexact=email)
        if organisation
        else DelegationMember.objects.filter(delegation=delegation, user__email__iexact=email)
    )
    if already.exists():
        raise ValidationError({"email": _("This person is already a member.")})
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email,
                organisation=organisation,
                delegation=delegation,
                role=role,
                invited_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            {"email": _("This person has already been invited and has not answered yet.")}
        ) from None
    recipient = User.objects.filter(email__iexact=email).first()
    send_mail_to(
        recipient or email,
        "ciep/email/invitation",
        {"invitation": invitation, "target": target, "inviter": by},
    )
    return invitation


def membership_invite(*, organisation: Organisation, email: str, role: str, by: User) -> Invitation:
    """Invite a person by email to join ``organisation``; only its admins may."""
    if not can_manage_organisation(by, organisation):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    return _invite(email=email, by=by, role=role, organisation=organisation)


def delegation_member_invite(*, delegation, email: str, by: User) -> Invitation:
    """Invite a representative to ``delegation``; only its head (or an organiser) may."""
    if not can_manage_delegation(by, delegation):
        raise PermissionDenied
    return _invite(
        email=email, by=by, role=DelegationMember.Role.REPRESENTATIVE, delegation=delegation
    )


def invitation_accept(*, invitation: Invitation, user: User):
    """Turn an open invitation into a membership for ``user``, whose email must match."""
    if invitation.email.lower() != user.email.lower():
        raise PermissionDenied
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."))
        if invitation.organisation_id:
            member, _created = Membership.objects.get_or_create(
                organisation_id=invitation.organisation_id,
                user=user,
                defaults={"role": invitation.role},
            )
        else:
            member, _created = DelegationMember.objects.get_or_create(
                delegation_id=invitation.delegation_id,
                user=user,
                defaults={"role": invitation.role},
            )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return member


def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a member; an organisation always keeps at least one admin."""
    if not can_manage_organisation(by, membership.organisation):
        raise PermissionDenied
    with transaction.atomic():
        admins = list(
            Membership.objects.select_for_update()
            .filter(organisation=membership.organisation, role=Membership.Role.ADMIN)
            .values_list("pk", flat=True)
        )
        if admins == [membership.pk]:
            raise ValidationError(_("An organisation must keep at least one administrator."))
        membership.delete()


def delegation_member_remove(*, member: DelegationMember, by: User) -> None:
    if not can_manage_delegation(by, member.delegation):
        raise PermissionDenied
    if is_delegation_head(member):
        raise ValidationError(_("The head of the delegation cannot be removed here."))
    member.delete()


# --- Attendance -----------------------------------------------------------------------------


def attendance_register(
    *,
    edition: Edition,
    user: User,
    role: str,
    country: str,
    organisation: Organisation | None = None,
    delegation=None,
) -> Attendance:
    """Register ``user`` to attend ``edition`` (free) as a visitor, expert, representative...

    What a person may attend as follows from what they belong to: a representative belongs to
    a delegation of that edition, exhibitor staff to an organisation. Media and guests are
    registered by organisers in the back office. Once per person and edition (a constraint).
    """
    if edition.status == Edition.Status.CONCLUDED:
        raise ValidationError(_("This edition has concluded: registration is closed."))
    if role in (Attendance.Role.MEDIA, Attendance.Role.GUEST):
        raise ValidationError({"role": _("Media and guests are registered by the organisers.")})
    if role == Attendance.Role.REPRESENTATIVE and (
        delegation is None
        or delegation.edition_id != edition.pk
        or not delegation.members.filter(user=user).exists()
    ):
        raise ValidationError(
            {"delegation": _("Choose the delegation of this edition that you belong to.")}
        )
    if role == Attendance.Role.EXHIBITOR_STAFF and (
        organisation is None or not organisation.memberships.filter(user=user).exists()
    ):
        raise ValidationError(
            {"organisation": _("Choose the organisation whose staff you belong to.")}
        )
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                edition=edition,
                user=user,
                name=user.name,
                role=role,
                country=country,
                organisation=organisation if role == Attendance.Role.EXHIBITOR_STAFF else None,
                delegation=delegation if role == Attendance.Role.REPRESENTATIVE else None,
            )
    except IntegrityError:
        raise ValidationError(_("You are already registered for this edition.")) from None


def attendance_cancel(*, attendance: Attendance, by: User) -> None:
    if attendance.user_id != by.pk:
        raise PermissionDenied
    if attendance.checked_in_at is not None:
        raise ValidationError(_("You have already been checked in."))
    attendance.delete()


def attendance_check_in(*, edition: Edition, code: str) -> Attendance:
    """Accept a check-in code once. Unknown, foreign and used codes are refused."""
    code = "".join(code.split()).upper()
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update().filter(edition=edition, code=code).first()
        )
        if attendance is None:
            raise ValidationError(_("This code is not valid for this edition."))
        if attendance.checked_in_at is not None:
            raise ValidationError(
                _("This code was already used at %(time)s.")
                % {"time": timezone.localtime(attendance.checked_in_at).strftime("%Y-%m-%d %H:%M")}
            )
        attendance.checked_in_at = timezone.now()
        attendance.save(update_fields=["checked_in_at", "updated_at"])
    return attendance


# --- Personal access tokens of the JSON API -------------------------------------------------


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(
    *, user: User, name: str, scopes: list[str], expires_at: datetime | None = None
) -> tuple[AccessToken, str]:
    """A new personal access token of ``user``, for themselves; returns it with the token's
    text, which is kept nowhere (only its hash is saved) and must be shown to them now."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Name the token."))
    unknown = set(scopes) - {scope for scope, _label in api_scopes()}
    if unknown or not scopes:
        raise ValidationError(_("Choose what the token may do."))
    if EXPORTS_SCOPE in scopes and not is_organiser(user):
        raise ValidationError({"scopes": _("Only organisers may read the exports.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry date must be in the future."))
    raw = AccessToken.PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: len(AccessToken.PREFIX) + 6],
        token_hash=token_hash(raw),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    return token, raw


def token_revoke(*, token: AccessToken, by: User) -> AccessToken:
    """Revoke ``token`` for good; only its owner may. Revoking twice changes nothing."""
    if token.user_id != by.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> AccessToken | None:
    """The active token whose text is ``raw``, its last use recorded (once a minute at most,
    so that a busy client does not write on every request); ``None`` for any other text."""
    token = (
        AccessToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), user__is_active=True)
        .first()
    )
    if token is None or not token.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- Webhooks -------------------------------------------------------------------------------


def webhook_check_address(url: str) -> None:
    """Refuse an address that is not HTTPS, or whose host is on a private, loopback or
    link-local network (the portal's own network is not for organisations to probe). The
    tests' local receiver is allowed by ``WEBHOOKS_ALLOW_LOCAL``."""
    from . import webhooks

    if webhooks.local_allowed():
        return
    if not url.lower().startswith("https://"):
        raise ValidationError({"url": _("The address must start with https://.")})
    if not webhooks.resolves_to_public(url):
        raise ValidationError({"url": _("The address must be on the public internet.")})


def webhook_create(
    *, organisation: Organisation | None, url: str, events: list[str], by: User
) -> Webhook:
    """Register an address of ``organisation``'s own system for ``events``; its admins only.
    Without an organisation, the webhook is the organisers' own, hears every organisation's
    events, and only organisers may add it. Addresses must use HTTPS and be public: the
    deliveries carry the organisation's data."""
    if organisation is None:
        if not is_organiser(by):
            raise PermissionDenied
    elif not can_manage_organisation(by, organisation):
        raise PermissionDenied
    webhook_check_address(url)
    unknown = set(events) - set(WebhookEvent.values)
    if unknown or not events:
        raise ValidationError({"events": _("Choose the events to send.")})
    return Webhook.objects.create(
        organisation=organisation, url=url, events=sorted(set(events)), created_by=by
    )


def can_manage_webhook(user, webhook: Webhook) -> bool:
    if webhook.organisation_id is None:
        return is_organiser(user)
    return is_organiser(user) or can_manage_organisation(user, webhook.organisation)


def webhook_delete(*, webhook: Webhook, by: User) -> None:
    """Stop sending to ``webhook``, and forget its deliveries; its organisation's admins only
    (organisers for theirs)."""
    if webhook.organisation_id is None:
        if not is_organiser(by):
            raise PermissionDenied
    elif not can_manage_organisation(by, webhook.organisation):
        raise PermissionDenied
    webhook.delete()


def webhook_delivery_redeliver(*, delivery: WebhookDelivery, by: User) -> WebhookDelivery:
    """Send a delivery again (the admin's action): organisers, or the admins of the webhook's
    organisation. It is queued after commit with a fresh count of attempts; the log keeps
    every earlier attempt."""
    from . import webhooks

    if not can_manage_webhook(by, delivery.webhook):
        raise PermissionDenied
    return webhooks.webhook_redeliver(delivery=delivery)


# --- Consent ------------------------------------------------------------------------------


def consent_record(*, user: User, purpose: str, obj, granted: bool, text: str) -> Consent | None:
    """Record that ``user`` granted or withdrew consent to publish ``obj`` for ``purpose``,
    with the text they were shown. Called by the service that turns the publication on or
    off, inside its transaction. Nothing is added when the consent in force is the same
    (the same choice, with the same text)."""
    object_type = obj._meta.label_lower
    latest = (
        Consent.objects.filter(
            user=user, purpose=purpose, object_type=object_type, object_id=obj.pk
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is not None and latest.granted == granted and (latest.text == text or not granted):
        return None
    if latest is None and not granted:
        return None
    from .privacy import NOTICE_VERSION

    return Consent.objects.create(
        user=user,
        purpose=purpose,
        object_type=object_type,
        object_id=obj.pk,
        object_label=str(obj)[:300],
        granted=granted,
        text_version=NOTICE_VERSION,
        text=str(text),
    )


def consent_withdraw(*, consent: Consent, by: User) -> None:
    """Withdraw a consent in force from the account page; only its person may.

    The area that owns the publication turns it off at once (its own service, which records
    the withdrawal and refreshes the pages that showed it).
    """
    if consent.user_id != by.pk:
        raise PermissionDenied
    withdraw = consent_withdrawal(consent.purpose)
    if withdraw is None or not consent.granted:
        raise ValidationError(_("This consent cannot be withdrawn here."))
    withdraw(consent=consent, by=by)


# --- Account deletion ---------------------------------------------------------------------

# The name of the inactive account that takes the place of a deleted person in what the
# organisers keep (counted applications, registrations, meetings, the audit log).
PLACEHOLDER_NAME = "Deleted account"


def _placeholder_for(user: User) -> User:
    placeholder = User(
        email=f"deleted-{secrets.token_hex(12)}@deleted.invalid",
        name=PLACEHOLDER_NAME,
        came_as=user.came_as,
        preferred_language=user.preferred_language,
        is_active=False,
        date_joined=user.date_joined,
    )
    placeholder.set_unusable_password()
    placeholder.save()
    return placeholder


def account_delete_refusal(user: User) -> str | None:
    """Why ``user`` may not delete their account now, or None when they may."""
    if user.is_staff or user.is_superuser:
        return _(
            "Organisers' accounts are not deleted here: another organiser removes them in "
            "the back office."
        )
    last_admin_of = [
        membership.organisation.name
        for membership in Membership.objects.filter(
            user=user, role=Membership.Role.ADMIN
        ).select_related("organisation")
        if not Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
        )
        .exclude(user=user)
        .exists()
    ]
    if last_admin_of:
        return _(
            "You are the last administrator of %(organisations)s. Hand it over first: invite "
            "a colleague as an administrator from the organisation's Members page, or ask the "
            "organisers to make a member an administrator; then delete your account."
        ) % {"organisations": ", ".join(last_admin_of)}
    return None


def account_delete(*, user: User, by: User) -> None:
    """Delete ``user``'s account and personal data (PIPL art. 47, GDPR art. 17); only they may.

    Each area deletes its rows about the person and anonymises what the organisers keep for
    the edition's record and figures, moving it to an inactive placeholder account that
    holds no personal data: counted applications, registrations, accepted meetings,
    intentions and agreements (their organisation or delegation is the party), attendances.
    The audit log keeps its entries with the placeholder as actor and without what they said
    of the person. Staff and the last administrator of an organisation are refused. Personal
    files (CV, photo, the CVs of applications) leave the storage after commit; the person's
    sessions end, since their account no longer exists; a confirmation goes to their address
    in their language.
    """
    if by.pk != user.pk:
        raise PermissionDenied
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from .privacy import scrub_audit

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        list(
            Membership.objects.select_for_update().filter(
                organisation__memberships__user=user, role=Membership.Role.ADMIN
            )
        )
        refusal = account_delete_refusal(user)
        if refusal:
            raise ValidationError(refusal)
        address, name, language, old_pk = user.email, user.name, user.interface_language, user.pk
        placeholder = _placeholder_for(user)
        with disable_auditlog():
            for area in all_areas():
                hook = area.hook("erase_personal_data")
                if hook is not None:
                    hook(user=user, placeholder=placeholder)
            Attendance.objects.filter(user=user).update(user=placeholder, name=PLACEHOLDER_NAME)
            Invitation.objects.filter(email__iexact=address, accepted_at__isnull=True).delete()
            OutgoingMail.objects.filter(to__iexact=address).delete()
            LogEntry.objects.filter(actor=user).update(actor=placeholder, remote_addr=None)
            scrub_audit(User, [old_pk], PLACEHOLDER_NAME)
            user.delete()
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(User),
            object_pk=str(old_pk),
            object_id=old_pk,
            object_repr=PLACEHOLDER_NAME,
            action=LogEntry.Action.DELETE,
            actor=placeholder,
            changes=None,
            additional_data={"account_deleted": True, "placeholder": placeholder.pk},
        )
        send_mail_to(
            address,
            "ciep/email/account_deleted",
            {"recipient_name": name},
            language=language,
        )


# --- Delegations' policies and documents ---------------------------------------------------


def delegation_policies_update(*, delegation: Delegation, data: dict, by: User) -> Delegation:
    """Save the policies a delegation presents; its head (or an organiser) may."""
    if not can_manage_delegation(by, delegation):
        raise PermissionDenied
    with transaction.atomic():
        return save_data(delegation, data)


def delegation_document_add(*, delegation: Delegation, data: dict, by: User) -> DelegationDocument:
    """Add a document (title and file) to a delegation's page; its head (or an organiser) may."""
    if not can_manage_delegation(by, delegation):
        raise PermissionDenied
    with transaction.atomic():
        return save_data(DelegationDocument(delegation=delegation), data)


def delegation_document_delete(*, document: DelegationDocument, by: User) -> None:
    """Remove a delegation's document (its file goes once no row names it)."""
    if not can_manage_delegation(by, document.delegation):
        raise PermissionDenied
    document.delete()
