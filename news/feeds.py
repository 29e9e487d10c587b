"""The news as an Atom feed, in the language of its address (``/news/feed/``,
``/zh-hans/news/feed/``)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors


def _absolute(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    title = _("CIEP news and press releases")
    subtitle = _(
        "News, press releases and announcements of the Conference on International "
        "Exchange of Professionals."
    )

    def link(self):
        return _absolute(reverse("news:article_list"))

    def feed_url(self):
        return _absolute(reverse("news:feed"))

    def items(self):
        return selectors.feed_articles()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body[:400]

    def item_link(self, item):
        return _absolute(item.get_absolute_url())

    def item_guid(self, item):
        return f"{settings.PORTAL_URL.rstrip('/')}/news/{item.pk}/"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(item.get_category_display())]
