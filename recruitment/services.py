"""Writes of Online Recruitment. Views, forms, admin actions and commands call these."""

from datetime import date, timedelta
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ciep.audit import audited_update
from ciep.mail import send_mail_to
from ciep.models import Edition, Organisation, User, WebhookEvent
from ciep.permissions import require_organiser
from ciep.selectors import current_edition
from ciep.services import save_data
from ciep.webhooks import webhook_emit

from .models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    DemandAnswer,
    JobAlert,
    JobLanguage,
    JobPosting,
    JobReport,
    SavedJob,
    SavedSearch,
    TalentDemand,
    TalentLanguage,
    TalentProfile,
)
from .permissions import can_manage_demands, can_manage_posting, can_post_for
from .privacy import record_profile_consent

REMINDER_DAYS = 3

# --- Job postings ---------------------------------------------------------------------------


def _check_posting_values(posting: JobPosting, *, new: bool) -> None:
    errors = {}
    if posting.salary_min is not None and posting.salary_min < 0:
        errors["salary_min"] = _("The salary cannot be negative.")
    if posting.salary_max is not None and posting.salary_max < 0:
        errors["salary_max"] = _("The salary cannot be negative.")
    if (
        posting.salary_min is not None
        and posting.salary_max is not None
        and posting.salary_max < posting.salary_min
    ):
        errors["salary_max"] = _("The top of the salary range is below its bottom.")
    if posting.deadline and posting.deadline < timezone.localdate():
        errors["deadline"] = _("The deadline is in the past.")
    if not (posting.title_en or "").strip():
        errors["title_en"] = _("Give the title in English.")
    if errors:
        raise ValidationError(errors)


def job_posting_create(
    *,
    organisation: Organisation,
    by: User,
    languages: list[str] = (),
    edition: Edition | None = None,
    **values,
) -> JobPosting:
    """Create a draft posting for ``organisation``; only its members may.

    The posting belongs to ``edition`` (the current edition by default) for the edition report.
    """
    if not can_post_for(by, organisation):
        raise PermissionDenied
    edition = edition or current_edition()
    if edition is None:
        raise ValidationError(_("No edition is open: jobs cannot be posted yet."))
    posting = JobPosting(organisation=organisation, posted_by=by, edition=edition, **values)
    _check_posting_values(posting, new=True)
    with transaction.atomic():
        posting.save()
        JobLanguage.objects.bulk_create(
            [JobLanguage(posting=posting, language=code) for code in dict.fromkeys(languages)]
        )
    return posting


def job_posting_update(
    *, posting: JobPosting, by: User, languages: list[str] | None = None, **values
) -> JobPosting:
    """Change a posting's content; its state changes only through the services below."""
    if not can_manage_posting(by, posting):
        raise PermissionDenied
    for name, value in values.items():
        setattr(posting, name, value)
    _check_posting_values(posting, new=False)
    with transaction.atomic():
        posting.save()
        if languages is not None:
            posting.languages.exclude(language__in=languages).delete()
            existing = set(posting.languages.values_list("language", flat=True))
            JobLanguage.objects.bulk_create(
                [
                    JobLanguage(posting=posting, language=code)
                    for code in dict.fromkeys(languages)
                    if code not in existing
                ]
            )
    return posting


def _locked(posting: JobPosting) -> JobPosting:
    return JobPosting.objects.select_for_update().get(pk=posting.pk)


def job_posting_publish(*, posting: JobPosting, by: User) -> JobPosting:
    """Publish a draft. It is public once its organisation is verified."""
    if not can_manage_posting(by, posting):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(posting)
        if locked.status != JobPosting.Status.DRAFT:
            raise ValidationError(_("Only a draft can be published."))
        if locked.deadline < timezone.localdate():
            raise ValidationError({"deadline": _("The deadline is in the past.")})
        locked.status = JobPosting.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        _emit_posting(locked, WebhookEvent.POSTING_PUBLISHED)
    return locked


def _emit_posting(posting: JobPosting, event: str) -> None:
    webhook_emit(
        organisation_ids=[posting.organisation_id],
        event=event,
        data={
            "posting": posting.pk,
            "edition": posting.edition.number,
            "organisation": posting.organisation_id,
            "status": posting.status,
            "deadline": posting.deadline,
        },
    )


def job_posting_close(*, posting: JobPosting, by: User) -> JobPosting:
    """Close a published posting before its deadline: no more applications."""
    if not can_manage_posting(by, posting):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(posting)
        if locked.status != JobPosting.Status.PUBLISHED:
            raise ValidationError(_("Only a published posting can be closed."))
        locked.status = JobPosting.Status.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        _emit_posting(locked, WebhookEvent.POSTING_CLOSED)
    return locked


def job_posting_extend(*, posting: JobPosting, deadline: date, by: User) -> JobPosting:
    """Give a published, expired or closed posting a new deadline and publish it again.

    One step for "extend" (still published) and "repost" (expired or closed): the posting
    keeps its applications; a reposted posting counts as new for the alerts.
    """
    if not can_manage_posting(by, posting):
        raise PermissionDenied
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline is in the past.")})
    with transaction.atomic():
        locked = _locked(posting)
        if locked.status == JobPosting.Status.DRAFT:
            raise ValidationError(_("A draft is published, not extended."))
        republished = locked.status != JobPosting.Status.PUBLISHED
        if republished:
            locked.published_at = timezone.now()
        locked.status = JobPosting.Status.PUBLISHED
        locked.deadline = deadline
        locked.deadline_reminder_sent_at = None
        locked.save(
            update_fields=[
                "status",
                "deadline",
                "published_at",
                "deadline_reminder_sent_at",
                "updated_at",
            ]
        )
        if republished:
            _emit_posting(locked, WebhookEvent.POSTING_PUBLISHED)
    return locked


def job_postings_expire(*, today: date | None = None) -> int:
    """Close the published postings whose deadline has passed (their status becomes
    "expired") and announce each to the webhooks as ``posting.closed``, once; return how many.

    Run by celery beat every hour (``job-postings-expire``) and by ``expire_job_postings``.
    Each posting is claimed by a conditional update in a transaction of its own, with its
    event: two runs at once, or a run after a posting was extended, close nothing twice.
    """
    today = today or timezone.localdate()
    due = JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED, deadline__lt=today)
    expired = 0
    for posting in due.select_related("edition").order_by("pk"):
        with transaction.atomic():
            claimed = audited_update(
                due.filter(pk=posting.pk),
                status=JobPosting.Status.EXPIRED,
                updated_at=timezone.now(),
            )
            if claimed:
                posting.status = JobPosting.Status.EXPIRED
                _emit_posting(posting, WebhookEvent.POSTING_CLOSED)
                expired += 1
    return expired


def job_postings_remind(*, today: date | None = None) -> int:
    """Email the poster of each posting expiring within a few days, once; return how many."""
    today = today or timezone.localdate()
    due = JobPosting.objects.filter(
        status=JobPosting.Status.PUBLISHED,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=REMINDER_DAYS),
        deadline_reminder_sent_at__isnull=True,
        posted_by__isnull=False,
    ).select_related("posted_by", "organisation")
    sent = 0
    for posting in due:
        # The claim and its mail commit together: a reminder is queued exactly once.
        with transaction.atomic():
            claimed = audited_update(
                JobPosting.objects.filter(pk=posting.pk, deadline_reminder_sent_at__isnull=True),
                deadline_reminder_sent_at=timezone.now(),
            )
            if claimed:
                send_mail_to(
                    posting.posted_by, "recruitment/email/deadline_soon", {"posting": posting}
                )
                sent += 1
    return sent


def job_posting_hide(*, posting: JobPosting, reason: str, by: User) -> JobPosting:
    """Organisers hide a posting that breaks the rules; the poster is told why. Organisers
    only."""
    require_organiser(by)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the posting is hidden.")})
    posting.hidden_at = timezone.now()
    posting.hidden_reason = reason.strip()
    posting.hidden_by = by
    posting.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    audited_update(
        JobReport.objects.filter(posting=posting, resolved_at__isnull=True),
        resolved_at=timezone.now(),
    )
    if posting.posted_by:
        send_mail_to(posting.posted_by, "recruitment/email/posting_hidden", {"posting": posting})
    return posting


def job_posting_restore(*, posting: JobPosting, by: User) -> JobPosting:
    """Organisers show a hidden posting again, in the state it had. Organisers only."""
    require_organiser(by)
    posting.hidden_at = None
    posting.hidden_reason = ""
    posting.hidden_by = None
    posting.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    return posting


def job_posting_report(*, posting: JobPosting, reason: str, by: User) -> JobReport:
    """Anyone signed in reports a posting once; organisers see the reports in the admin."""
    if not by.is_authenticated:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with this posting.")})
    try:
        with transaction.atomic():
            return JobReport.objects.create(posting=posting, reporter=by, reason=reason.strip())
    except IntegrityError:
        raise ValidationError(_("You have already reported this posting.")) from None


# --- Talent profiles ------------------------------------------------------------------------


def talent_profile_save(
    *, by: User, data: dict, languages: list[tuple[str, str]] | None = None
) -> TalentProfile:
    """Create or update ``by``'s one talent profile from ``data`` (field name -> value, e.g. a
    valid ``TalentProfileForm``'s cleaned data), and set its languages to ``languages``
    ((code, level) pairs) when given. A person saves only their own profile: the profile is
    the one of ``by``. Records the consent its visibility gives."""
    with transaction.atomic():
        profile = TalentProfile.objects.select_for_update().filter(user=by).first()
        profile = save_data(profile or TalentProfile(user=by), data)
        if languages is not None:
            codes = dict(languages)
            profile.languages.exclude(language__in=codes).delete()
            for code, level in codes.items():
                TalentLanguage.objects.update_or_create(
                    profile=profile, language=code, defaults={"level": level}
                )
        record_profile_consent(profile)
    return profile


def talent_profile_delete(*, profile: TalentProfile, by: User) -> None:
    """Delete a talent's profile with their CV, photo, applications and answers.

    Only the talent may. Application CVs are copies, deleted with their applications.
    """
    if profile.user_id != by.pk:
        raise PermissionDenied
    files = [profile.cv, profile.photo]
    files += [application.cv for application in profile.applications.all()]
    with transaction.atomic():
        profile.delete()
    for file in files:
        if file:
            file.delete(save=False)


# --- Applications ---------------------------------------------------------------------------


def application_submit(
    *, posting: JobPosting, talent: TalentProfile, cover_letter: str
) -> Application:
    """A talent applies to an open posting with a cover letter and a copy of their CV.

    One application per talent and posting: the database decides between concurrent
    attempts. The employer's members are told by email.
    """
    if not cover_letter.strip():
        raise ValidationError({"cover_letter": _("Write a cover letter.")})
    with transaction.atomic():
        locked = (
            JobPosting.objects.select_for_update().select_related("organisation").get(pk=posting.pk)
        )
        if locked.is_hidden or not locked.organisation.is_verified:
            raise ValidationError(_("This posting is not open for applications."))
        if locked.status != JobPosting.Status.PUBLISHED:
            raise ValidationError(_("This posting is closed."))
        if locked.deadline < timezone.localdate():
            raise ValidationError(_("The deadline for applications has passed."))
        if Application.objects.filter(posting=locked, talent=talent).exists():
            raise ValidationError(_("You have already applied to this job."))
        application = Application(posting=locked, talent=talent, cover_letter=cover_letter)
        if talent.cv:
            talent.cv.open("rb")
            try:
                content = talent.cv.read()
            finally:
                talent.cv.close()
            application.cv.save(PurePath(talent.cv.name).name, ContentFile(content), save=False)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            if application.cv:
                application.cv.delete(save=False)
            raise ValidationError(_("You have already applied to this job.")) from None
        ApplicationEvent.objects.create(
            application=application,
            from_state="",
            to_state=Application.State.SUBMITTED,
            by=talent.user,
        )
        webhook_emit(
            organisation_ids=[locked.organisation_id],
            event=WebhookEvent.APPLICATION_CREATED,
            data={"application": application.pk, "posting": locked.pk, "state": application.state},
        )
    for membership in locked.organisation.memberships.select_related("user"):
        send_mail_to(
            membership.user,
            "recruitment/email/application_received",
            {"application": application, "posting": locked},
        )
    return application


S = Application.State
TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.VIEWED, S.SHORTLISTED, S.INTERVIEW, S.REJECTED, S.WITHDRAWN},
    S.VIEWED: {S.SHORTLISTED, S.INTERVIEW, S.REJECTED, S.WITHDRAWN},
    S.SHORTLISTED: {S.INTERVIEW, S.OFFER, S.REJECTED, S.WITHDRAWN},
    S.INTERVIEW: {S.OFFER, S.REJECTED, S.WITHDRAWN},
    S.OFFER: {S.HIRED, S.REJECTED, S.WITHDRAWN},
    S.HIRED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}
# The states an employer moves applications to; the talent only withdraws.
EMPLOYER_STATES = [S.VIEWED, S.SHORTLISTED, S.INTERVIEW, S.OFFER, S.HIRED, S.REJECTED]


def _transition(*, application: Application, to: str, by: User, employer: bool) -> Application:
    if employer:
        if not can_manage_posting(by, application.posting):
            raise PermissionDenied
    elif application.talent.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("talent__user", "posting__organisation")
            .get(pk=application.pk)
        )
        if to not in TRANSITIONS[locked.state]:
            raise ValidationError(
                _("An application cannot go from “%(from)s” to “%(to)s”.")
                % {"from": locked.get_state_display(), "to": Application.State(to).label}
            )
        previous = locked.state
        locked.state = to
        locked.state_changed_at = timezone.now()
        locked.save(update_fields=["state", "state_changed_at", "updated_at"])
        ApplicationEvent.objects.create(application=locked, from_state=previous, to_state=to, by=by)
        webhook_emit(
            organisation_ids=[locked.posting.organisation_id],
            event=WebhookEvent.APPLICATION_STATE_CHANGED,
            data={
                "application": locked.pk,
                "posting": locked.posting_id,
                "from_state": previous,
                "state": to,
            },
        )
    send_mail_to(
        locked.talent.user,
        "recruitment/email/application_state",
        {"application": locked, "posting": locked.posting},
    )
    return locked


def application_mark_viewed(*, application: Application, by: User) -> Application:
    """The employer opened a submitted application."""
    return _transition(application=application, to=S.VIEWED, by=by, employer=True)


def application_shortlist(*, application: Application, by: User) -> Application:
    return _transition(application=application, to=S.SHORTLISTED, by=by, employer=True)


def application_invite_to_interview(*, application: Application, by: User) -> Application:
    return _transition(application=application, to=S.INTERVIEW, by=by, employer=True)


def application_make_offer(*, application: Application, by: User) -> Application:
    return _transition(application=application, to=S.OFFER, by=by, employer=True)


def application_hire(*, application: Application, by: User) -> Application:
    return _transition(application=application, to=S.HIRED, by=by, employer=True)


def application_reject(*, application: Application, by: User) -> Application:
    return _transition(application=application, to=S.REJECTED, by=by, employer=True)


def application_withdraw(*, application: Application, by: User) -> Application:
    """The talent withdraws their own application."""
    return _transition(application=application, to=S.WITHDRAWN, by=by, employer=False)


EMPLOYER_TRANSITION_SERVICES = {
    S.VIEWED: application_mark_viewed,
    S.SHORTLISTED: application_shortlist,
    S.INTERVIEW: application_invite_to_interview,
    S.OFFER: application_make_offer,
    S.HIRED: application_hire,
    S.REJECTED: application_reject,
}


def applications_move(
    *, applications: list[Application], to: str, by: User
) -> tuple[list[Application], list[tuple[Application, str]]]:
    """Move several applications at once; each move is its own transition.

    Returns the moved applications and, for the others, why they could not move.
    """
    service = EMPLOYER_TRANSITION_SERVICES.get(to)
    if service is None:
        raise ValidationError(_("Choose a state to move the applications to."))
    moved, refused = [], []
    for application in applications:
        try:
            moved.append(service(application=application, by=by))
        except ValidationError as error:
            refused.append((application, " ".join(error.messages)))
    return moved, refused


def application_note_add(*, application: Application, text: str, by: User) -> ApplicationNote:
    """The employer's private note on an application."""
    if not can_manage_posting(by, application.posting):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    return ApplicationNote.objects.create(application=application, author=by, text=text.strip())


# --- Saved jobs, saved searches, alerts -----------------------------------------------------


def saved_job_toggle(*, user: User, posting: JobPosting) -> bool:
    """Save a posting, or forget it when already saved; return whether it is saved now."""
    deleted, _rows = SavedJob.objects.filter(user=user, posting=posting).delete()
    if deleted:
        return False
    SavedJob.objects.get_or_create(user=user, posting=posting)
    return True


def saved_search_create(*, user: User, name: str, query: str) -> SavedSearch:
    if not name.strip():
        raise ValidationError({"name": _("Give the search a name.")})
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(user=user, name=name.strip(), query=query)
    except IntegrityError:
        raise ValidationError(_("You have already saved this search.")) from None


def saved_search_delete(*, search: SavedSearch, by: User) -> None:
    if search.user_id != by.pk:
        raise PermissionDenied
    search.delete()


def job_alerts_send(*, since=None) -> int:
    """Email each user the new public postings matching their saved searches, once each.

    A posting is new when it was published after the search was saved (and after ``since``
    when given). Run daily by ``manage.py send_job_alerts``. Returns the number of emails.
    """
    from .selectors import saved_search_matches

    searches = (
        SavedSearch.objects.filter(alerts=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "id")
    )
    emails = 0
    by_user: dict[int, tuple[User, list]] = {}
    for search in searches:
        postings = saved_search_matches(search, since=since)
        user, found = by_user.setdefault(search.user_id, (search.user, []))
        seen = {posting.pk for _search, posting in found}
        found.extend((search, posting) for posting in postings if posting.pk not in seen)
    for user, found in by_user.values():
        if not found:
            continue
        # Two runs at once (two schedulers, a retried task) queue for the user one after the
        # other: the second, holding the user's row, sees what the first recorded and sent.
        with transaction.atomic():
            User.objects.select_for_update().get(pk=user.pk)
            already = set(
                JobAlert.objects.filter(
                    user=user, posting__in=[posting.pk for _s, posting in found]
                ).values_list("posting_id", flat=True)
            )
            fresh = [(search, posting) for search, posting in found if posting.pk not in already]
            if not fresh:
                continue
            JobAlert.objects.bulk_create(
                [JobAlert(user=user, posting=posting) for _s, posting in fresh]
            )
            send_mail_to(user, "recruitment/email/job_alert", {"matches": fresh})
            emails += 1
    return emails


# --- Talent demands -------------------------------------------------------------------------


def talent_demand_save(
    *, delegation, data: dict, by: User, demand: TalentDemand | None = None
) -> TalentDemand:
    """Create a demand of ``delegation`` from its data, or update ``demand``; the delegation's
    members may."""
    if not can_manage_demands(by, delegation):
        raise PermissionDenied
    if demand is None:
        demand = TalentDemand(created_by=by)
    demand.delegation = delegation
    with transaction.atomic():
        return save_data(demand, data)


def talent_demand_close(*, demand: TalentDemand, by: User) -> TalentDemand:
    if not can_manage_demands(by, demand.delegation):
        raise PermissionDenied
    demand.status = TalentDemand.Status.CLOSED
    demand.save(update_fields=["status", "updated_at"])
    return demand


def demand_answer_submit(
    *, demand: TalentDemand, talent: TalentProfile, message: str
) -> DemandAnswer:
    """An expert answers an open demand once, sharing their profile with the delegation."""
    if demand.status != TalentDemand.Status.OPEN:
        raise ValidationError(_("This demand is closed."))
    if not message.strip():
        raise ValidationError({"message": _("Write a message to the delegation.")})
    try:
        with transaction.atomic():
            answer = DemandAnswer.objects.create(
                demand=demand, talent=talent, message=message.strip()
            )
    except IntegrityError:
        raise ValidationError(_("You have already answered this demand.")) from None
    for member in demand.delegation.members.select_related("user"):
        send_mail_to(
            member.user, "recruitment/email/demand_answered", {"answer": answer, "demand": demand}
        )
    return answer
