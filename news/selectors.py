"""Reads of the news: the public list, one article, the latest for a page, the feed."""

from django.db.models import Prefetch, Q
from django.db.models.functions import Lower

from ciep.models import Edition, Field

from .models import (
    Accreditation,
    Article,
    CommitteeMeeting,
    CommitteeMember,
    PressKitItem,
    WorkPlanItem,
)

LATEST_COUNT = 3
FEED_COUNT = 30


def _with_tags(queryset):
    return queryset.select_related("edition").prefetch_related(
        Prefetch("fields", queryset=Field.objects.order_by("order", "name_en"))
    )


def article_list():
    """Published articles, newest first, with what their cards show."""
    return _with_tags(Article.objects.published()).order_by("-published_at", "-id")


def article_detail_queryset(user):
    """The articles ``user`` may open: published ones, and for organisers every state."""
    return _with_tags(Article.objects.visible_to(user))


def latest_articles(edition: Edition | None, *, count: int = LATEST_COUNT) -> list[Article]:
    """The newest published articles of ``edition`` and the conference's own (no edition)."""
    condition = Q(edition__isnull=True)
    if edition is not None:
        condition |= Q(edition=edition)
    return list(
        Article.objects.published()
        .filter(condition)
        .select_related("edition")
        .order_by("-published_at", "-id")[:count]
    )


GUEST_COUNT = 6


def guest_articles(edition: Edition, country: str, *, count: int = GUEST_COUNT) -> list[Article]:
    """The newest published articles of ``edition`` tagged with ``country`` (a code), for the
    country's page as a guest of honour or observer; with their cards' tags (two queries)."""
    # A multiple country field keeps its codes as "GB,RU": two letters between commas.
    return list(
        _with_tags(Article.objects.published())
        .filter(edition=edition, countries__contains=country)
        .order_by("-published_at", "-id")[:count]
    )


def feed_articles(*, count: int = FEED_COUNT) -> list[Article]:
    return list(
        Article.objects.published()
        .select_related("edition")
        .order_by("-published_at", "-id")[:count]
    )


def edition_press_releases(edition: Edition) -> int:
    """How many press releases of ``edition`` the portal has published."""
    return (
        Article.objects.published()
        .filter(edition=edition, category=Article.Category.PRESS_RELEASE)
        .count()
    )


def accredited_outlets(edition: Edition) -> int:
    """How many outlets (by name, whatever its case) have an accredited journalist."""
    return (
        Accreditation.objects.approved()
        .filter(edition=edition)
        .annotate(name=Lower("outlet"))
        .values("name")
        .distinct()
        .count()
    )


def accreditation_of(user, edition: Edition | None) -> Accreditation | None:
    if edition is None or not user.is_authenticated:
        return None
    return Accreditation.objects.filter(edition=edition, journalist=user).first()


def press_kit(edition: Edition) -> list[PressKitItem]:
    return list(PressKitItem.objects.filter(edition=edition))


def press_kit_visible_to(user):
    """Press-kit files ``user`` may download: organisers every one, an accredited journalist
    those of the editions they are accredited for."""
    from .permissions import can_decide_accreditations

    if can_decide_accreditations(user):
        return PressKitItem.objects.all()
    if not user.is_authenticated:
        return PressKitItem.objects.none()
    editions = Accreditation.objects.approved().filter(journalist=user).values("edition")
    return PressKitItem.objects.filter(edition__in=editions)


def committee(edition: Edition, user) -> dict:
    """The organising committee of ``edition`` as ``user`` may see it: members, meetings and
    the work plan (the public rows; every row for organisers)."""
    return {
        "members": list(CommitteeMember.objects.visible_to(user).filter(edition=edition)),
        "meetings": list(CommitteeMeeting.objects.visible_to(user).filter(edition=edition)),
        "work_plan": list(WorkPlanItem.objects.visible_to(user).filter(edition=edition)),
    }
