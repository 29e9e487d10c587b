"""Every write of the news: an article's way from draft to publication (organisers only), and
journalists' accreditations (applied for by the journalist, decided by organisers). Each
service refuses anyone else and illegal steps."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ciep.mail import send_mail_to
from ciep.models import Edition, User
from ciep.permissions import require_organiser

from .models import Accreditation, Article, WorkPlanItem
from .permissions import can_decide_accreditations, can_edit_articles

State = Article.State


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _check(by: User) -> None:
    if not can_edit_articles(by):
        raise PermissionDenied(_("Only organisers manage the news."))


def _move(article: Article, *, to: str, allowed: tuple, refusal: str, **values) -> Article:
    if article.state not in allowed:
        raise ValidationError(refusal)
    article.state = to
    for name, value in values.items():
        setattr(article, name, value)
    article.save(update_fields=["state", *values, "updated_at"])
    return article


def _check_complete(article: Article) -> None:
    """An article goes out with its text in at least one language."""
    if not (article.body_en.strip() or article.body_zh.strip()):
        raise ValidationError(_("Write the article's text in at least one language."))


def article_submit(*, article: Article, by: User) -> Article:
    """Send a draft for review by the organisers."""
    _check(by)
    with transaction.atomic():
        article = _locked(article)
        _check_complete(article)
        return _move(
            article,
            to=State.IN_REVIEW,
            allowed=(State.DRAFT,),
            refusal=_("Only a draft can be sent for review."),
        )


def article_publish(*, article: Article, by: User) -> Article:
    """Publish an article in review (or a scheduled one ahead of its time), now."""
    _check(by)
    with transaction.atomic():
        article = _locked(article)
        _check_complete(article)
        return _move(
            article,
            to=State.PUBLISHED,
            allowed=(State.IN_REVIEW, State.SCHEDULED),
            refusal=_("Only an article in review or scheduled can be published."),
            published_at=timezone.now(),
            reviewed_by=by,
        )


def article_schedule(*, article: Article, by: User, publish_at: datetime) -> Article:
    """Approve an article in review for publication at ``publish_at`` (in the future); the
    periodic task :func:`articles_publish_due` publishes it then."""
    _check(by)
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": _("Choose a time in the future.")})
    with transaction.atomic():
        article = _locked(article)
        _check_complete(article)
        return _move(
            article,
            to=State.SCHEDULED,
            allowed=(State.IN_REVIEW, State.SCHEDULED),
            refusal=_("Only an article in review can be scheduled."),
            publish_at=publish_at,
            reviewed_by=by,
        )


def article_return_to_draft(*, article: Article, by: User) -> Article:
    """Send an article in review or scheduled back to its author, or withdraw a published one
    from the public (it becomes a draft again)."""
    _check(by)
    with transaction.atomic():
        article = _locked(article)
        return _move(
            article,
            to=State.DRAFT,
            allowed=(State.IN_REVIEW, State.SCHEDULED, State.PUBLISHED),
            refusal=_("The article is already a draft."),
            publish_at=None,
            published_at=None,
        )


def articles_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled article whose time has come (run by celery beat every minute);
    each at the time it was scheduled for. Safe to run twice at once: rows are locked and
    skipped when another run took them."""
    now = now or timezone.now()
    published = 0
    for pk in Article.objects.due(now).values_list("pk", flat=True):
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=pk).first()
            if article is None or article.state != State.SCHEDULED or article.publish_at > now:
                continue
            _move(
                article,
                to=State.PUBLISHED,
                allowed=(State.SCHEDULED,),
                refusal="",
                published_at=article.publish_at,
            )
            published += 1
    return published


# --- Press centre ---------------------------------------------------------------------------


def accreditation_apply(
    *, edition: Edition, journalist: User, outlet: str, country: str, role: str, press_card
) -> Accreditation:
    """A signed-in journalist asks to cover ``edition``; once per edition, while it is not
    concluded. The organisers decide in the back office."""
    if not journalist.is_authenticated:
        raise PermissionDenied(_("Sign in to apply for accreditation."))
    if edition.status == Edition.Status.CONCLUDED:
        raise ValidationError(_("This edition has ended: accreditation is closed."))
    if not outlet.strip():
        raise ValidationError({"outlet": _("Name your media outlet.")})
    with transaction.atomic():
        if Accreditation.objects.filter(edition=edition, journalist=journalist).exists():
            raise ValidationError(_("You have already applied for this edition."))
        try:
            with transaction.atomic():
                return Accreditation.objects.create(
                    edition=edition,
                    journalist=journalist,
                    outlet=outlet.strip(),
                    country=country,
                    role=role,
                    press_card=press_card,
                )
        except IntegrityError:
            raise ValidationError(_("You have already applied for this edition.")) from None


def _decide(accreditation: Accreditation, *, by: User, state: str, reason: str = ""):
    if not can_decide_accreditations(by):
        raise PermissionDenied(_("Only organisers decide on accreditations."))
    with transaction.atomic():
        accreditation = (
            Accreditation.objects.select_for_update()
            .select_related("edition", "journalist")
            .get(pk=accreditation.pk)
        )
        if accreditation.state != Accreditation.State.PENDING:
            raise ValidationError(_("This accreditation has already been decided."))
        accreditation.state = state
        accreditation.refusal_reason = reason
        accreditation.decided_by = by
        accreditation.decided_at = timezone.now()
        accreditation.save(
            update_fields=["state", "refusal_reason", "decided_by", "decided_at", "updated_at"]
        )
        send_mail_to(
            accreditation.journalist,
            f"news/email/accreditation_{state}",
            {"accreditation": accreditation, "edition": accreditation.edition},
        )
    return accreditation


def accreditation_approve(*, accreditation: Accreditation, by: User) -> Accreditation:
    """Accredit a journalist: they are mailed (in their language, after commit) and get their
    press badge and the press kit."""
    return _decide(accreditation, by=by, state=Accreditation.State.APPROVED)


def accreditation_refuse(
    *, accreditation: Accreditation, by: User, reason: str = ""
) -> Accreditation:
    """Refuse an accreditation; the journalist is mailed, with ``reason`` when given."""
    return _decide(accreditation, by=by, state=Accreditation.State.REFUSED, reason=reason.strip())


# --- Organising committee -------------------------------------------------------------------


def work_plan_item_move(*, item: WorkPlanItem, state: str, by: User) -> WorkPlanItem:
    """Move a task of the committee's work plan to ``state`` (planned, in progress, done).
    Organisers only (the work plan's admin actions)."""
    require_organiser(by)
    if state not in WorkPlanItem.State.values:
        raise ValidationError(_("Unknown state."))
    with transaction.atomic():
        locked = WorkPlanItem.objects.select_for_update().get(pk=item.pk)
        if locked.state != state:
            locked.state = state
            locked.save(update_fields=["state", "updated_at"])
    return locked
