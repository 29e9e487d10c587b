"""The registry through which the functional areas plug into the conference core.

The core never imports an area app. Each area registers itself from its ``AppConfig.ready()``
with what the core may ask of it: a headline count for the home page, a demo-data seeder and,
for the edition report, its figures, for the JSON API, its endpoints, and its part of a
person's data export and of the deletion of their account. Hooks are dotted paths,
imported only when called.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.module_loading import import_string


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
    key: str
    name: str | Promise
    description: str | Promise
    url_name: str
    order: int = 100
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
    # "app.module.function": (ctx: ciep.generate.GenerationContext) -> None, adds the area's
    # part of a synthetic edition (``generate_edition``), using ``ctx.organisation_ids``.
    generate: str | None = None
    # "app.module.function": (user) -> iterable of ``AgendaEntry`` for the user's personal
    # agenda and calendar feed (negotiation meetings, ...), merged by the forum's "My agenda";
    # cancelled entries too (recent and upcoming), so subscribed calendars drop them.
    agenda_items: str | None = None
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
    # A template included in the home page (for the current edition, ``edition`` may be None)
    # and in an edition's page (``edition``), such as the latest news. It must show only what
    # every visitor sees: both pages are cached for anonymous visitors.
    edition_template: str | None = None

    def hook(self, name: str) -> Callable | None:
        path = getattr(self, name)
        return import_string(path) if path else None


_registry: dict[str, Area] = {}


def register(area: Area) -> None:
    _registry[area.key] = area


def all_areas() -> list[Area]:
    return sorted(_registry.values(), key=lambda area: (area.order, area.key))


def consent_withdrawal(purpose: str) -> Callable | None:
    """The function of the area that withdraws a consent of ``purpose``, if one does."""
    for area in all_areas():
        for key, path in area.consent_withdrawals:
            if key == purpose:
                return import_string(path)
    return None
