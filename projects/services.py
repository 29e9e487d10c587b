"""Writes of Project Cooperation. Views, forms, admin actions and commands call these.

Every intention transition is one function here: it locks the row, refuses a move the state
machine does not allow or a person who may not make it, records who and when in an
``IntentionEvent`` and notifies both parties in their own language.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ciep import caching
from ciep.audit import audited_update
from ciep.caching import bump
from ciep.mail import send_mail_to
from ciep.models import Delegation, Edition, Field, Organisation, User, WebhookEvent
from ciep.permissions import is_organiser
from ciep.uploads import check_pdf
from ciep.webhooks import webhook_emit

from .models import (
    CompetitionEntry,
    CooperationType,
    FollowUpReminder,
    Intention,
    IntentionEvent,
    Milestone,
    ProgressReport,
    Project,
    ProjectCooperationType,
    ProjectDocument,
)
from .permissions import (
    COUNTERPART,
    SUBMITTER,
    can_edit_project,
    heads_delegation,
    intention_sides,
    is_delegation_member,
    is_organisation_member,
)
from .privacy import record_publication_consent

PROJECT_ATTRIBUTES = {
    "kind",
    "team_name",
    "title_en",
    "title_zh",
    "summary_en",
    "summary_zh",
    "offers_en",
    "offers_zh",
    "stage",
    "country_sought",
    "region_sought",
    "amount_band",
    "contact_name",
    "contact_email",
    "contact_phone",
}

# --- Projects -------------------------------------------------------------------------------


def _check_project_texts(attributes: dict) -> None:
    errors = {}
    if (
        not (attributes.get("title_en") or "").strip()
        and not (attributes.get("title_zh") or "").strip()
    ):
        errors["title_en"] = _("Give the project a title in English or Chinese.")
    if (
        not (attributes.get("summary_en") or "").strip()
        and not (attributes.get("summary_zh") or "").strip()
    ):
        errors["summary_en"] = _("Describe the project in English or Chinese.")
    if errors:
        raise ValidationError(errors)


def _set_cooperation_types(project: Project, cooperation_types: Iterable[str]) -> None:
    wanted = set(cooperation_types)
    unknown = wanted - set(CooperationType.values)
    if unknown:
        raise ValidationError(
            {"cooperation_types": _("Unknown cooperation type: %(types)s.") % {"types": unknown}}
        )
    project.cooperation_types.exclude(type__in=wanted).delete()
    existing = set(project.cooperation_types.values_list("type", flat=True))
    ProjectCooperationType.objects.bulk_create(
        [ProjectCooperationType(project=project, type=kind) for kind in sorted(wanted - existing)]
    )
    caching.instance_changed(project)  # bulk inserts send no signals


def project_create(
    *,
    by: User,
    edition: Edition,
    organisation: Organisation | None = None,
    delegation: Delegation | None = None,
    expert: User | None = None,
    fields: Iterable[Field] = (),
    cooperation_types: Iterable[str] = (),
    owner_country: str = "",
    **attributes,
) -> Project:
    """Create a draft project for one owner that ``by`` may act for.

    Organisation members publish for their organisation, a delegation's head publishes the
    region's demands (requests only), and an expert publishes for themselves. Nothing is
    public until ``project_publish``.
    """
    unknown = set(attributes) - PROJECT_ATTRIBUTES
    if unknown:
        raise TypeError(f"Unknown project attributes: {sorted(unknown)}")
    owners = [owner for owner in (organisation, delegation, expert) if owner is not None]
    if len(owners) != 1:
        raise ValidationError(_("A project has exactly one owner."))
    if organisation is not None and not is_organisation_member(by, organisation):
        raise PermissionDenied(_("You do not represent this organisation."))
    if delegation is not None:
        if not heads_delegation(by, delegation):
            raise PermissionDenied(_("Only the head of a delegation publishes its demands."))
        if attributes.get("kind") != Project.Kind.REQUEST:
            raise ValidationError({"kind": _("A delegation publishes its demands as requests.")})
    if expert is not None and expert != by:
        raise PermissionDenied(_("Experts publish their own projects."))
    _check_project_texts(attributes)
    if organisation is not None:
        owner_country = organisation.country.code
    elif delegation is not None:
        owner_country = delegation.country.code
    with transaction.atomic():
        project = Project(
            edition=edition,
            organisation=organisation,
            delegation=delegation,
            expert=expert,
            owner_country=owner_country or "",
            created_by=by,
            **attributes,
        )
        project.full_clean(exclude=["fields"])
        project.save()
        project.fields.set(fields)
        _set_cooperation_types(project, cooperation_types)
    return project


def project_update(
    *,
    project: Project,
    by: User,
    fields: Iterable[Field] | None = None,
    cooperation_types: Iterable[str] | None = None,
    **attributes,
) -> Project:
    """Change a project's description; only its owner may."""
    unknown = set(attributes) - PROJECT_ATTRIBUTES
    if unknown:
        raise TypeError(f"Unknown project attributes: {sorted(unknown)}")
    if not can_edit_project(by, project):
        raise PermissionDenied(_("You may not edit this project."))
    merged = {
        "title_en": project.title_en,
        "title_zh": project.title_zh,
        "summary_en": project.summary_en,
        "summary_zh": project.summary_zh,
        **attributes,
    }
    _check_project_texts(merged)
    if project.delegation_id and attributes.get("kind", project.kind) != Project.Kind.REQUEST:
        raise ValidationError({"kind": _("A delegation publishes its demands as requests.")})
    with transaction.atomic():
        for name, value in attributes.items():
            setattr(project, name, value)
        project.save()
        if fields is not None:
            project.fields.set(fields)
        if cooperation_types is not None:
            _set_cooperation_types(project, cooperation_types)
    return project


def project_document_add(
    *, project: Project, by: User, file, title_en: str = "", title_zh: str = ""
) -> ProjectDocument:
    """Attach a PDF to a project; the file is checked (magic bytes, size) before it is kept."""
    if not can_edit_project(by, project):
        raise PermissionDenied(_("You may not edit this project."))
    check_pdf(file)
    return ProjectDocument.objects.create(
        project=project, title_en=title_en.strip(), title_zh=title_zh.strip(), file=file
    )


def project_document_remove(*, document: ProjectDocument, by: User) -> None:
    if not can_edit_project(by, document.project):
        raise PermissionDenied(_("You may not edit this project."))
    document.file.delete(save=False)
    document.delete()


def project_publish(*, project: Project, by: User) -> Project:
    """Publish a draft (or reopen a closed) project; it needs a field and a cooperation type.

    Its owner publishes it; organisers may too (from the back office).
    """
    if not (can_edit_project(by, project) or is_organiser(by)):
        raise PermissionDenied(_("You may not publish this project."))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.state == Project.State.PUBLISHED:
            raise ValidationError(_("The project is already published."))
        if not project.fields.exists():
            raise ValidationError(_("Choose at least one field before publishing."))
        if not project.cooperation_types.exists():
            raise ValidationError(_("Choose at least one cooperation type before publishing."))
        project.state = Project.State.PUBLISHED
        project.published_at = project.published_at or timezone.now()
        project.save(update_fields=["state", "published_at", "updated_at"])
    return project


def project_close(*, project: Project, by: User) -> Project:
    """Close a published project: it leaves the catalogue; its intentions stay."""
    if not (can_edit_project(by, project) or is_organiser(by)):
        raise PermissionDenied(_("You may not close this project."))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.state != Project.State.PUBLISHED:
            raise ValidationError(_("Only a published project can be closed."))
        project.state = Project.State.CLOSED
        project.save(update_fields=["state", "updated_at"])
    return project


def project_hide(*, project: Project, by: User, reason: str) -> Project:
    """Organisers hide a project from the public, saying why; the owner still sees it."""
    if not is_organiser(by):
        raise PermissionDenied(_("Only organisers hide projects."))
    if not reason.strip():
        raise ValidationError({"hidden_reason": _("Say why the project is hidden.")})
    audited_update(
        Project.objects.filter(pk=project.pk),
        hidden_at=timezone.now(),
        hidden_reason=reason.strip(),
        hidden_by=by,
    )
    project.refresh_from_db()
    return project


def project_unhide(*, project: Project, by: User) -> Project:
    if not is_organiser(by):
        raise PermissionDenied(_("Only organisers hide projects."))
    audited_update(
        Project.objects.filter(pk=project.pk), hidden_at=None, hidden_reason="", hidden_by=None
    )
    project.refresh_from_db()
    return project


# --- Intentions -----------------------------------------------------------------------------


def party_users(intention: Intention, side: str) -> list[User]:
    """The people who act for one side of an intention (they receive its notifications)."""
    if side == SUBMITTER:
        delegation, organisation, expert = intention.delegation, intention.organisation, None
    else:
        delegation = intention.counterpart_delegation
        organisation = intention.counterpart_organisation
        expert = intention.counterpart_expert
    if delegation is not None:
        return list(User.objects.filter(delegation_memberships__delegation=delegation))
    if organisation is not None:
        return list(User.objects.filter(memberships__organisation=organisation))
    return [expert] if expert is not None else []


def _notify(intention: Intention, template: str, sides: Iterable[str], **context) -> None:
    seen = set()
    for side in sides:
        for user in party_users(intention, side):
            if user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            send_mail_to(user, f"projects/email/{template}", {"intention": intention, **context})


def intention_submit(
    *,
    by: User,
    edition: Edition,
    cooperation_type: str,
    delegation: Delegation | None = None,
    organisation: Organisation | None = None,
    project: Project | None = None,
    counterpart_organisation: Organisation | None = None,
    counterpart_delegation: Delegation | None = None,
    counterpart_expert: User | None = None,
    counterpart_team: str = "",
    fields: Iterable[Field] = (),
    description_en: str = "",
    description_zh: str = "",
    amount_band: str = "",
) -> Intention:
    """Submit a cooperation intention for a delegation or an organisation that ``by`` acts for.

    The counterpart is a published project's owner (when ``project`` is given) or a named
    organisation, delegation or expert. Nobody cooperates with themselves. The counterpart is
    notified by email and then confirms or declines.
    """
    if (delegation is None) == (organisation is None):
        raise ValidationError(_("Submit the intention for one delegation or one organisation."))
    if delegation is not None and not is_delegation_member(by, delegation):
        raise PermissionDenied(_("You are not a member of this delegation."))
    if organisation is not None and not is_organisation_member(by, organisation):
        raise PermissionDenied(_("You do not represent this organisation."))
    if edition.status == Edition.Status.CONCLUDED:
        raise ValidationError(_("This edition has concluded: intentions are closed."))
    if delegation is not None and delegation.edition_id != edition.pk:
        raise ValidationError(_("The delegation belongs to another edition."))
    if project is not None:
        if not project.is_public:
            raise ValidationError({"project": _("This project is not open for cooperation.")})
        counterpart_organisation = project.organisation
        counterpart_delegation = project.delegation
        counterpart_expert = project.expert
        counterpart_team = counterpart_team or project.team_name
    counterparts = [
        c
        for c in (counterpart_organisation, counterpart_delegation, counterpart_expert)
        if c is not None
    ]
    if len(counterparts) != 1:
        raise ValidationError(_("Choose one counterpart: a project, an organisation or an expert."))
    yourself = _("You cannot submit an intention with yourself.")
    if organisation is not None and organisation == counterpart_organisation:
        raise ValidationError(yourself)
    if delegation is not None and delegation == counterpart_delegation:
        raise ValidationError(yourself)
    if counterpart_expert is not None and counterpart_expert == by:
        raise ValidationError(yourself)
    if cooperation_type not in CooperationType.values:
        raise ValidationError({"cooperation_type": _("Choose a cooperation type.")})
    if not description_en.strip() and not description_zh.strip():
        raise ValidationError(
            {"description_en": _("Describe the intended cooperation in English or Chinese.")}
        )
    with transaction.atomic():
        intention = Intention.objects.create(
            edition=edition,
            delegation=delegation,
            organisation=organisation,
            project=project,
            counterpart_organisation=counterpart_organisation,
            counterpart_delegation=counterpart_delegation,
            counterpart_expert=counterpart_expert,
            counterpart_team=counterpart_team,
            cooperation_type=cooperation_type,
            description_en=description_en.strip(),
            description_zh=description_zh.strip(),
            amount_band=amount_band,
            submitted_by=by,
            state_changed_at=timezone.now(),
        )
        intention.fields.set(fields or (project.fields.all() if project else ()))
        IntentionEvent.objects.create(
            intention=intention, from_state="", to_state=Intention.State.SUBMITTED, by=by
        )
        webhook_emit(
            organisation_ids=[intention.organisation_id, intention.counterpart_organisation_id],
            event=WebhookEvent.INTENTION_CREATED,
            data={
                "intention": intention.pk,
                "edition": edition.number,
                "organisation": intention.organisation_id,
                "delegation": intention.delegation_id,
                "counterpart_organisation": intention.counterpart_organisation_id,
                "counterpart_delegation": intention.counterpart_delegation_id,
                "project": intention.project_id,
                "state": intention.state,
            },
        )
    _notify(intention, "intention_submitted", [COUNTERPART], by=by)
    return intention


S = Intention.State
# to-state: (allowed from-states, who may make the move)
TRANSITIONS = {
    S.CONFIRMED: ((S.SUBMITTED,), {COUNTERPART}),
    S.DECLINED: ((S.SUBMITTED,), {COUNTERPART}),
    S.WITHDRAWN: ((S.SUBMITTED, S.CONFIRMED, S.NEGOTIATING), {SUBMITTER}),
    S.NEGOTIATING: ((S.CONFIRMED,), {SUBMITTER, COUNTERPART, "organiser"}),
    S.SIGNED: ((S.CONFIRMED, S.NEGOTIATING), {SUBMITTER, COUNTERPART, "organiser"}),
    S.IMPLEMENTING: ((S.SIGNED,), {SUBMITTER, COUNTERPART, "organiser"}),
    S.COMPLETED: ((S.IMPLEMENTING,), {SUBMITTER, COUNTERPART, "organiser"}),
    S.LAPSED: ((S.SUBMITTED, S.CONFIRMED, S.NEGOTIATING), {"organiser"}),
}


def allowed_transitions(intention: Intention, user) -> list[str]:
    """The states ``user`` may move ``intention`` to now (for the buttons on its page)."""
    roles = intention_sides(user, intention)
    if is_organiser(user):
        roles.add("organiser")
    return [
        target
        for target, (sources, who) in TRANSITIONS.items()
        if intention.state in sources and roles & who
    ]


def _transition(intention: Intention, *, to: str, by: User, note: str = "", **changes) -> Intention:
    sources, who = TRANSITIONS[to]
    original = intention
    with transaction.atomic():
        intention = Intention.objects.select_for_update().get(pk=intention.pk)
        roles = intention_sides(by, intention)
        if is_organiser(by):
            roles.add("organiser")
        if not roles & who:
            raise PermissionDenied(_("You may not make this change to the intention."))
        if intention.state not in sources:
            raise ValidationError(
                _("An intention that is “%(state)s” cannot become “%(target)s”.")
                % {"state": intention.get_state_display(), "target": S(to).label}
            )
        previous = intention.state
        intention.state = to
        intention.state_changed_at = timezone.now()
        for name, value in changes.items():
            setattr(intention, name, value)
        intention.save()
        IntentionEvent.objects.create(
            intention=intention, from_state=previous, to_state=to, by=by, note=note
        )
    for field in Intention._meta.concrete_fields:
        setattr(original, field.attname, getattr(intention, field.attname))
    # Mail only once the change is committed.
    _notify(intention, "intention_changed", [SUBMITTER, COUNTERPART], by=by)
    return intention


def intention_confirm(*, intention: Intention, by: User) -> Intention:
    """The counterpart confirms a submitted intention."""
    return _transition(intention, to=S.CONFIRMED, by=by)


def intention_decline(*, intention: Intention, by: User, reason: str = "") -> Intention:
    """The counterpart declines a submitted intention."""
    return _transition(intention, to=S.DECLINED, by=by, note=reason)


def intention_withdraw(*, intention: Intention, by: User, reason: str = "") -> Intention:
    """The submitting side withdraws an intention that is not yet an agreement."""
    return _transition(intention, to=S.WITHDRAWN, by=by, note=reason)


def intention_negotiate(*, intention: Intention, by: User) -> Intention:
    """Either party (or an organiser) records that a confirmed intention is being negotiated."""
    return _transition(intention, to=S.NEGOTIATING, by=by)


def intention_sign(
    *,
    intention: Intention,
    by: User,
    signed_on: datetime.date,
    place_en: str = "",
    place_zh: str = "",
    document=None,
) -> Intention:
    """Record the signed agreement: date (not in the future), place and the signed PDF.

    Either party or an organiser (e.g. at the edition's signing ceremony) records it.
    """
    if signed_on is None or signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Give the date of signing (not in the future).")})
    if not place_en.strip() and not place_zh.strip():
        raise ValidationError({"place_en": _("Say where the agreement was signed.")})
    changes = {
        "signed_on": signed_on,
        "signed_place_en": place_en.strip(),
        "signed_place_zh": place_zh.strip(),
    }
    if document:
        changes["signed_document"] = document
    return _transition(intention, to=S.SIGNED, by=by, **changes)


def intention_start_implementation(*, intention: Intention, by: User) -> Intention:
    return _transition(intention, to=S.IMPLEMENTING, by=by)


def intention_complete(*, intention: Intention, by: User) -> Intention:
    return _transition(intention, to=S.COMPLETED, by=by)


def intention_lapse(*, intention: Intention, by: User, reason: str = "") -> Intention:
    """Organisers mark an intention that went nowhere as lapsed."""
    return _transition(intention, to=S.LAPSED, by=by, note=reason)


def intention_set_publication(*, intention: Intention, by: User, publish: bool) -> Intention:
    """A party says whether its side agrees to show the agreement to the public."""
    sides = intention_sides(by, intention)
    if not sides:
        raise PermissionDenied(_("Only the parties decide whether to publish the agreement."))
    changes = {}
    if SUBMITTER in sides:
        changes["submitter_publishes"] = publish
    if COUNTERPART in sides:
        changes["counterpart_publishes"] = publish
    with transaction.atomic():
        audited_update(
            Intention.objects.filter(pk=intention.pk), **changes, updated_at=timezone.now()
        )
        record_publication_consent(intention=intention, by=by, publish=publish)
        # The update sends no signal: the pages that list public agreements refresh here.
        transaction.on_commit(lambda: bump("projects"))
    intention.refresh_from_db()
    return intention


def progress_report_add(
    *, intention: Intention, by: User, text: str, milestone: int | None = None
) -> ProgressReport:
    """A party reports progress on a signed agreement; the report stays with it."""
    if not intention_sides(by, intention):
        raise PermissionDenied(_("Only the parties report progress."))
    if not intention.is_agreement:
        raise ValidationError(_("Progress is reported on signed agreements only."))
    if not text.strip():
        raise ValidationError({"text": _("Describe the progress.")})
    return ProgressReport.objects.create(
        intention=intention, milestone=milestone, text=text.strip(), submitted_by=by
    )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def followup_send_due(*, today: datetime.date | None = None) -> int:
    """Ask both parties of every signed agreement for a progress report at 3, 6 and 12 months.

    Idempotent: the unique constraint on (agreement, milestone) lets exactly one reminder
    through per milestone, however often (or concurrently) this runs. Returns how many were sent.
    """
    today = today or timezone.localdate()
    sent = 0
    agreements = (
        Intention.objects.agreements()
        # Three months are never shorter than 89 days; the exact date is checked below.
        .filter(signed_on__lte=today - datetime.timedelta(days=89))
        .annotate(reminder_count=Count("reminders"))
        .filter(reminder_count__lt=len(Milestone.values))
        .prefetch_related("reminders")
    )
    for intention in agreements:
        done = {reminder.milestone for reminder in intention.reminders.all()}
        due = [
            months
            for months in Milestone.values
            if months not in done and _add_months(intention.signed_on, months) <= today
        ]
        # Only the latest milestone reached is worth a reminder; older ones are recorded too.
        for months in due:
            # The reminder's record and its mails commit together, or neither does.
            try:
                with transaction.atomic():
                    FollowUpReminder.objects.create(intention=intention, milestone=months)
                    if months == max(due):
                        _notify(
                            intention, "followup_reminder", [SUBMITTER, COUNTERPART], months=months
                        )
            except IntegrityError:
                continue
            if months == max(due):
                sent += 1
    return sent


# --- Competitions ---------------------------------------------------------------------------


def competition_enter(*, competition, project: Project, by: User) -> CompetitionEntry:
    """The project's owner enters a published project of the same edition in a competition."""
    if not can_edit_project(by, project):
        raise PermissionDenied(_("Only the project's owner enters it in a competition."))
    if not competition.entries_open:
        raise ValidationError(_("This competition is closed for entries."))
    if not project.is_public or project.edition_id != competition.edition_id:
        raise ValidationError(
            _("Only a published project of the competition's edition can be entered.")
        )
    try:
        with transaction.atomic():
            return CompetitionEntry.objects.create(
                competition=competition, project=project, entered_by=by
            )
    except IntegrityError:
        raise ValidationError(_("This project is already entered in the competition.")) from None


def entry_set_result(*, entry: CompetitionEntry, by: User, result: str, award: str = "") -> None:
    """Organisers mark an entry as finalist or winner (or back to entered)."""
    if not is_organiser(by):
        raise PermissionDenied(_("Only organisers decide the results."))
    if result not in CompetitionEntry.Result.values:
        raise ValidationError(_("Unknown result."))
    audited_update(
        CompetitionEntry.objects.filter(pk=entry.pk),
        result=result,
        award=award or entry.award,
        updated_at=timezone.now(),
    )
