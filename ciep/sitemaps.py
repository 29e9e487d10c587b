"""The sitemap of every public page in both languages, and what robots may read.

Each area lists its own public pages (``Area.sitemaps``: a dotted path to a dict of section
name → ``Sitemap`` class); the core adds the editions, verified organisations and delegations.
Every address is given in English and Chinese with its ``hreflang`` alternates, on
``PORTAL_URL`` rather than the host a request named.
"""

import math
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from .areas import all_areas
from .models import Delegation, Edition, Organisation

# Search engines may come back for a sitemap every few minutes; an hour is fresh enough.
SITEMAP_MAX_AGE = 3600


class PortalSitemap(Sitemap):
    """A section of the sitemap: each item in every language, with its alternates."""

    i18n = True
    alternates = True
    x_default = True

    def get_domain(self, site=None):
        return urlsplit(settings.PORTAL_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.PORTAL_URL).scheme or "https"

    def lastmod(self, item):
        return getattr(item, "updated_at", None)


class PagesSitemap(PortalSitemap):
    """The home page, the editions and each area's entry page."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        areas = [area.url_name for area in all_areas()]
        return ["ciep:home", "ciep:edition_list", *areas, "ciep:privacy"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None


class EditionSitemap(PortalSitemap):
    def items(self):
        return Edition.objects.order_by("number")


class OrganisationSitemap(PortalSitemap):
    def items(self):
        return Organisation.objects.verified().order_by("pk")


class DelegationSitemap(PortalSitemap):
    def items(self):
        return Delegation.objects.order_by("pk")


def sections() -> dict[str, type[Sitemap]]:
    found = {
        "pages": PagesSitemap,
        "editions": EditionSitemap,
        "organisations": OrganisationSitemap,
        "delegations": DelegationSitemap,
    }
    for area in all_areas():
        hook = area.hook("sitemaps")
        if hook:
            found.update(hook)
    return found


@cache_page(SITEMAP_MAX_AGE)
def sitemap_index(request):
    """The list of sections (and their pages past 50,000 addresses), on ``PORTAL_URL``.

    Django's own index names the request's host and reads every item for a last-modified
    date; search engines read the dates in each section instead.
    """
    base = settings.PORTAL_URL.rstrip("/")
    entries = []
    for name, section in sections().items():
        location = base + reverse("sitemap_section", kwargs={"section": name})
        entries.append({"location": location})
        items = section().items()
        count = len(items) if isinstance(items, list) else items.count()
        pages = math.ceil(count * len(settings.LANGUAGES) / section.limit)
        entries += [{"location": f"{location}?p={page}"} for page in range(2, pages + 1)]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@cache_page(SITEMAP_MAX_AGE)
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, sections(), section=section)


# Addresses no robot needs: the back office, accounts and personal pages, files and metrics.
ROBOTS_DISALLOW = ("/private/", "/i18n/", "/metrics")
ROBOTS_DISALLOW_PER_LANGUAGE = ("admin/", "accounts/", "me/")


@require_GET
def robots_txt(request):
    base = settings.PORTAL_URL.rstrip("/")
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    for prefix in ("/", "/zh-hans/"):
        lines += [f"Disallow: {prefix}{path}" for path in ROBOTS_DISALLOW_PER_LANGUAGE]
    lines += ["", f"Sitemap: {base}{reverse('sitemap_index')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
