"""The news other pages show: the latest articles on the home page and an edition's page
(included through ``Area.edition_template``)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def latest_news(edition=None, count=selectors.LATEST_COUNT):
    return selectors.latest_articles(edition, count=count)


@register.simple_tag
def guest_news(guest):
    """A guest country's news in its edition, for ``Area.guest_template``."""
    return selectors.guest_articles(guest.edition, guest.country.code)
