"""Reads of the news: the public list, one article, the latest for a page, the feed."""

from django.db.models import Prefetch, Q

from ciep.models import Edition, Field

from .models import Article

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
