"""The registry through which the functional areas plug into the conference core.

The core never imports an area app, nor names one: every place that lists the areas (the URL
includes, the main menu, the page cache's app labels, the audit log, the edition report's
sections, the admin's order, the API's scopes, the default rate limits) reads this registry.
Each area registers itself from its ``AppConfig.ready()``::

    register(Area(key="news", name=_("News"), description=_("..."), url_name="news:list",
                  urls=(("news/", "news.urls"),), menu_label=_("News")))

``key`` is the area's app label. Every other field is optional and described beside it below:
hooks are dotted paths ("app.module.function"), imported only when called; a field left empty
means the area takes no part in that place. Adding an area is then: an app that registers,
and its name in ``INSTALLED_APPS``; no core file changes.

The core reacts to each area as it registers with :func:`on_register` (the page cache watches
its models, the audit log records them).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# The core's own scope of personal access tokens: organisers' tokens read the exports that the
# areas offer in the API (each area's ``…/exports/…`` endpoints); only organisers may hold it.
EXPORTS_SCOPE = "exports:read"


@dataclass(frozen=True)
class AgendaEntry:
    """An item an area puts in a person's agenda. ``uid`` stays the same through every change
    of the item, so a calendar that imported it updates it; ``status`` is iCalendar's
    (``CONFIRMED``, ``TENTATIVE`` or ``CANCELLED``)."""

    uid: str
    start: datetime
    end: datetime
    title: str
    url: str
    status: str = "CONFIRMED"
    location: str = ""
    label: str = ""  # what the agenda's status column says, e.g. "Meeting requested"


@dataclass(frozen=True)
class Area:
    # The area's app label (``AppConfig.label``): its models' label, its URL namespace.
    key: str
    name: str | Promise
    description: str | Promise
    # The area's front page (the home page's card, the main menu, the sitemap).
    url_name: str
    # Areas are listed in this order everywhere (home page, menu, report, admin).
    order: int = 100
    # (prefix, urlconf module) pairs included in the language-prefixed URLs, e.g.
    # ``(("jobs/", "recruitment.urls"),)``; the urlconf sets ``app_name``.
    urls: tuple = ()
    # The main menu's link to ``url_name`` (the area's name when empty); ``menu=False`` keeps
    # the area out of the main menu.
    menu_label: str | Promise = ""
    menu: bool = True
    # (URL name, rate) pairs: the default rate limits of the area's posts (``ciep.ratelimits``).
    rate_limits: tuple = ()
    # (scope, label) pairs: the scopes of personal access tokens for the area's API endpoints.
    api_scopes: tuple = ()
    # "app.module.function": (edition) -> int, the headline figure shown on the home page.
    count: str | None = None
    count_label: str | Promise = ""
    # "app.module.function": (demo: DemoContext) -> None, run by ``seed_demo`` in ``order``.
    seed_demo: str | None = None
    # "app.module.function": (edition) -> dict of figures, read by the edition report; the
    # same module holds ``LABELS`` (key -> translatable label).
    figures: str | None = None
    # "app.module.function": (edition) -> queryset of ids of organisations taking part.
    participants: str | None = None
    # "app.module.function": (ctx: ciep.synthetic.edition.GenerationContext) -> None, adds the
    # area's part of a synthetic edition (``generate_edition``), using ``ctx.organisation_ids``.
    generate: str | None = None
    # "app.module.function": (*, source, target) -> None, copies the area's setup of the
    # ``source`` edition (halls and booth layout, sections and venues) into the new draft
    # ``target`` (``ciep.services.edition_clone``); nothing of exhibitors or attendees.
    clone_edition: str | None = None
    # "app.module.function": (user) -> iterable of ``AgendaEntry`` for the user's personal
    # agenda and calendar feed (negotiation meetings, ...), merged by the forum's "My agenda";
    # cancelled entries too (recent and upcoming), so subscribed calendars drop them.
    agenda_items: str | None = None
    # "app.module.function": (edition) -> iterable of ids of the users an area's plans tie to
    # the edition (registered for its sessions, exhibiting, holding a meeting), told by mail
    # when the edition is rescheduled (``edition_reschedule``; each person once).
    people_concerned: str | None = None
    # "app.module.NAME": a dict of section name -> ``ciep.sitemaps.PortalSitemap`` subclass,
    # the area's public pages in the sitemap.
    sitemaps: str | None = None
    # "app.module.NAME": a django-ninja ``Router`` with the area's endpoints of the JSON API,
    # mounted by ``ciep.api`` under ``/api/v1/<key>/``.
    api: str | None = None
    # "app.module.function": (user) -> ciep.privacy.PersonalData, the area's part of a person's
    # export of their data (rows as JSON-ready dicts, and their files).
    personal_data: str | None = None
    # "app.module.function": (*, user, placeholder) -> None, run by ``account_delete`` inside
    # its transaction before the account is deleted: deletes the area's rows about ``user``
    # and moves what the organisers keep (anonymised) to ``placeholder``. May raise
    # ValidationError to refuse the deletion.
    erase_personal_data: str | None = None
    # (consent purpose, "app.module.function": (*, consent, by) -> None) pairs: withdrawing a
    # consent of that purpose from the account page calls the area's function, which turns
    # the publication off and records the withdrawal.
    consent_withdrawals: tuple = ()
    # Links in the signed-in user's menu: (label, url name) pairs.
    user_links: tuple = ()
    # Templates included in other pages, each rendered with that page's context:
    # the dashboard ("My CIEP"; ``user``), an organisation's page (``organisation``) and a
    # delegation's page (``delegation``). They load the area's own template tags for data.
    dashboard_template: str | None = None
    organisation_template: str | None = None
    delegation_template: str | None = None
    # A template included in the delegation's own dashboard, the page its head manages it on
    # (``delegation``; never cached): what the delegation has under way in the area.
    delegation_manage_template: str | None = None
    # A section of the home page (featured exhibitors, the next sessions, the latest news),
    # rendered with ``edition`` (the current one) after the service areas, in ``order``. The
    # home page is cached whole for visitors; for everyone else the template keeps what it
    # draws in a ``{% shared_part %}`` of its own (nothing personal may enter it).
    home_template: str | None = None
    # The area's picture on the home page's cards: a path under the static files.
    image: str | None = None
    # Whether the area is one of the service areas shown as cards on the home page and an
    # edition's page (the news and press centre is not).
    card: bool = True
    # A template included in an edition's page (rendered with ``edition``), such as the
    # edition's latest news. The page is cached whole for visitors: nothing personal.
    edition_template: str | None = None
    # A template included in the page of an edition's guest-of-honour or observer country
    # (rendered with ``edition`` and ``guest``, a ``ciep.models.EditionGuest``): what the
    # area holds of that country in that edition (its exhibitors, its events, its news), in
    # a fixed number of queries. The page is cached whole for visitors: nothing personal.
    guest_template: str | None = None

    def hook(self, name: str) -> Callable | None:
        path = getattr(self, name)
        return import_string(path) if path else None

    @property
    def app_label(self) -> str:
        return self.key

    @property
    def menu_name(self) -> str | Promise:
        return self.menu_label or self.name


_registry: dict[str, Area] = {}
_listeners: list[Callable[[Area], None]] = []


def register(area: Area) -> None:
    """Add ``area`` to the registry (from its app's ``ready()``) and tell the core."""
    _registry[area.key] = area
    for listener in _listeners:
        listener(area)


def on_register(listener: Callable[[Area], None]) -> None:
    """Call ``listener(area)`` for each area registered, those already registered first."""
    _listeners.append(listener)
    for area in all_areas():
        listener(area)


def all_areas() -> list[Area]:
    return sorted(_registry.values(), key=lambda area: (area.order, area.key))


def area_labels() -> tuple[str, ...]:
    """The app labels of the registered areas, in their order."""
    return tuple(area.key for area in all_areas())


def menu_areas() -> list[Area]:
    """The areas linked from the main menu."""
    return [area for area in all_areas() if area.menu]


def rate_limits() -> dict[str, str]:
    """The areas' default rate limits, URL name -> rate."""
    return {name: rate for area in all_areas() for name, rate in area.rate_limits}


def api_scopes() -> list[tuple[str, str | Promise]]:
    """The scopes a personal access token may carry, (scope, label), in the areas' order, then
    the organisers' scope of the exports."""
    return [scope for area in all_areas() for scope in area.api_scopes] + [
        (EXPORTS_SCOPE, _("Read the organisers' exports (organisers only)"))
    ]


def consent_withdrawal(purpose: str) -> Callable | None:
    """The function of the area that withdraws a consent of ``purpose``, if one does."""
    for area in all_areas():
        for key, path in area.consent_withdrawals:
            if key == purpose:
                return import_string(path)
    return None
