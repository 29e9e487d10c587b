"""The figures an edition reports, counted live from the portal's own data.

The core counts people, organisations and delegations; each area adds its own figures through
its ``Area.figures`` hook (a function of the edition returning integers and breakdowns) and
the ``LABELS`` beside it, and names the organisations taking part through it with
``Area.participants``. Who counts as what is decided by the data: an organisation takes part
when it is a member of one of the edition's delegations, sends attendees, or takes part through
an area (exhibits, posts jobs, publishes projects, organises sessions); it counts once.

People: ``visitors`` counts everyone registered to attend the edition, in any role (the
articles' "110,000 visitors"); ``foreign_experts`` those attending as experts or talents from
outside mainland China; ``representatives`` those attending for a delegation.
"""

from importlib import import_module

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import caching
from .areas import all_areas
from .charts import bar_chart
from .countries import country_name
from .models import Attendance, Delegation, Edition, Organisation

# The keys the press office relies on: always present, always integers.
REQUIRED_KEYS = (
    "organisations",
    "countries_and_regions",
    "foreign_experts",
    "representatives",
    "visitors",
    "delegations",
    "booths",
    "exhibition_area_m2",
    "exhibitors",
    "events",
    "registrations",
    "job_postings",
    "applications",
    "projects",
    "cooperation_intentions",
    "agreements_signed",
    "live_views",
    "media_outlets",
    "press_releases",
    "new_media_readership",
)

PROVINCIAL_KINDS = (
    Delegation.Kind.PROVINCE,
    Delegation.Kind.AUTONOMOUS_REGION,
    Delegation.Kind.MUNICIPALITY,
    Delegation.Kind.SAR,
)

LABELS = {
    "organisations": _("Organisations taking part"),
    "countries_and_regions": _("Countries and regions"),
    "foreign_experts": _("Foreign experts and overseas talents"),
    "representatives": _("Delegation representatives"),
    "visitors": _("Visitors (all attendees)"),
    "check_ins": _("Attendees checked in"),
    "delegations": _("Delegations"),
    "provinces": _("Provinces, autonomous regions and municipalities"),
    "organisations_by_country": _("Organisations by country or region"),
    "organisations_by_type": _("Organisations by type"),
    "attendance_by_role": _("Attendees by role"),
    "check_ins_by_day": _("Check-ins by day"),
    "delegations_by_kind": _("Delegations by kind"),
}


def participating_organisations(edition: Edition):
    """Organisations taking part in ``edition``, each once."""
    condition = Q(delegations__edition=edition) | Q(attendances__edition=edition)
    for area in all_areas():
        participants = area.hook("participants")
        if participants:
            condition |= Q(pk__in=participants(edition))
    ids = Organisation.objects.filter(condition).values("pk")
    return Organisation.objects.filter(pk__in=ids)


def _breakdown(queryset, field: str) -> dict:
    rows = queryset.values(field).annotate(n=Count("pk")).order_by("-n", field)
    return {str(row[field]): row["n"] for row in rows if row[field] not in (None, "")}


def core_figures(edition: Edition) -> dict:
    organisations = participating_organisations(edition)
    attendances = Attendance.objects.filter(edition=edition)
    people = attendances.aggregate(
        visitors=Count("pk"),
        foreign_experts=Count(
            "pk",
            filter=Q(role=Attendance.Role.EXPERT) & ~Q(country="CN"),
        ),
        representatives=Count("pk", filter=Q(role=Attendance.Role.REPRESENTATIVE)),
        check_ins=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    delegations = Delegation.objects.filter(edition=edition)
    by_country = _breakdown(organisations, "country")
    check_ins_by_day = {
        row["day"].isoformat(): row["n"]
        for row in attendances.filter(checked_in_at__isnull=False)
        .annotate(day=TruncDate("checked_in_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    }
    return {
        "organisations": organisations.count(),
        "countries_and_regions": len(by_country),
        **people,
        "delegations": delegations.count(),
        "provinces": delegations.filter(kind__in=PROVINCIAL_KINDS).count(),
        "organisations_by_country": by_country,
        "organisations_by_type": _breakdown(organisations, "type"),
        "attendance_by_role": _breakdown(attendances, "role"),
        "check_ins_by_day": check_ins_by_day,
        "delegations_by_kind": _breakdown(delegations, "kind"),
    }


def counted_figures(edition: Edition) -> dict:
    """The core's and each area's figures of ``edition``, keyed by "core" and area key.

    Counting reads the whole edition, so the result is cached until the edition's public
    content changes (the page cache's versions, see ``ciep.caching``), per language since some
    breakdowns are labelled in it; what it counts of personal rows (attendances, registrations,
    applications) may be up to ``caching.TIMEOUT`` behind.
    """

    def count():
        figures = {"core": core_figures(edition)}
        for area in all_areas():
            hook = area.hook("figures")
            if hook is not None:
                figures[area.key] = hook(edition)
        return figures

    return caching.shared(
        f"report:{edition.pk}",
        count,
        *caching.page_apps(),
        edition=edition.pk,
    )


def area_sections(edition: Edition) -> list[dict]:
    """Each area's figures with their labels, in the areas' order."""
    counted = counted_figures(edition)
    return [
        {
            "area": area,
            "figures": counted[area.key],
            "labels": _figures_module(area).LABELS,
        }
        for area in all_areas()
        if area.key in counted
    ]


def edition_report(edition: Edition) -> dict:
    """Every figure of ``edition``: integers, and breakdowns as label -> integer."""
    figures = {key: 0 for key in REQUIRED_KEYS}
    for section in counted_figures(edition).values():
        figures.update(section)
    return figures


def _figures_module(area):
    """The module of an area's figures hook, which also holds its LABELS (and ITEM_CHOICES)."""
    return import_module(area.figures.rsplit(".", 1)[0])


def _figure_notes(area, edition: Edition) -> dict:
    """Where an area's figures come from (key -> text), when its figures module says so with
    ``figure_notes(edition)``: figures entered by organisers name their source and date."""
    notes = getattr(_figures_module(area), "figure_notes", None)
    return notes(edition) if notes else {}


def _figures_modules():
    return [_figures_module(area) for area in all_areas() if area.figures]


def item_choices() -> dict:
    """Breakdown key -> what names its items (an area's ``ITEM_CHOICES``): a choices class,
    or a function of the item."""
    choices = {
        "organisations_by_type": Organisation.Type,
        "attendance_by_role": Attendance.Role,
        "delegations_by_kind": Delegation.Kind,
    }
    for module in _figures_modules():
        choices.update(getattr(module, "ITEM_CHOICES", {}))
    return choices


def all_labels() -> dict:
    labels = dict(LABELS)
    for module in _figures_modules():
        labels.update(module.LABELS)
    return labels


def _change(old: int, new: int) -> dict:
    change = new - old
    return {"change": change, "percent": round(100 * change / old, 1) if old else None}


def compare(reports: list[dict], totals: dict | None = None) -> list[dict]:
    """The integer figures of several reports, oldest edition first, labelled.

    Each row has the figure's ``values`` in the reports' order, the change of each step
    (``steps``: from one report to the next, older to newer), the change from the first to
    the last (``change``, ``percent``) and, given ``totals`` (``totals_of``), its total across
    every edition.
    """
    if not reports:
        return []
    labels = all_labels()
    rows = []
    for key, first in reports[0].items():
        values = [report.get(key, 0) for report in reports]
        if not all(isinstance(value, int) for value in values):
            continue
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "values": values,
                "steps": [_change(old, new) for old, new in zip(values, values[1:], strict=False)],
                **_change(first, values[-1]),
                "total": (totals or {}).get(key),
            }
        )
    return rows


def totals_of(reports: list[dict]) -> dict:
    """Each integer figure summed over ``reports`` (every edition: the seeds' "more than
    10,000 projects since 2001"). People who came to several editions count once per
    edition."""
    totals: dict = {}
    for report in reports:
        for key, value in report.items():
            if isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    return totals


# --- Presentation ---------------------------------------------------------------------------

CHARTS = ("organisations_by_country", "intentions_by_field", "intentions_by_delegation")
TIME_SERIES = ("attendance_by_day", "check_ins_by_day")


def _item_label(key: str, item: str) -> str:
    """The human name of one item of a breakdown: a country, a type, a role..."""
    if key.endswith("_by_country"):
        return country_name(item) or item
    choices = item_choices().get(key)
    if callable(choices) and not hasattr(choices, "values"):
        return str(choices(item))
    if choices is not None and item in choices.values:
        return str(choices(item).label)
    return item


def edition_meta(edition: Edition) -> dict:
    return {
        "number": edition.number,
        "year": edition.year,
        "title": edition.title,
        "start_date": edition.start_date.isoformat(),
        "end_date": edition.end_date.isoformat(),
        "format": edition.format,
        "guest_of_honour": country_name(edition.guest_of_honour.code),
        "observers": [country_name(country.code) for country in edition.observers],
    }


def csv_rows(figures: dict):
    labels = all_labels()
    for key, value in figures.items():
        if isinstance(value, dict):
            for item, number in value.items():
                yield [labels.get(key, key), _item_label(key, item), number]
        else:
            yield [labels.get(key, key), "", value]


def bilingual_rows(figures: dict) -> list[dict]:
    """The rows of :func:`csv_rows` with their figure's and item's labels in both languages
    (the API's export of the report): ``figure`` and ``item`` are the keys, ``item`` empty
    for a figure that is a single value."""
    named = {}
    for code, language in (("en", "en"), ("zh", "zh-hans")):
        with translation.override(language):
            labels = all_labels()
            named[code] = (
                {key: str(labels.get(key, key)) for key in figures},
                {
                    (key, item): str(_item_label(key, item))
                    for key, value in figures.items()
                    if isinstance(value, dict)
                    for item in value
                },
            )
    rows = []
    for key, value in figures.items():
        label = {code: named[code][0][key] for code in named}
        items = value.items() if isinstance(value, dict) else [("", value)]
        for item, number in items:
            rows.append(
                {
                    "figure": key,
                    "label": label,
                    "item": str(item),
                    "item_label": {code: named[code][1].get((key, item), "") for code in named},
                    "value": number,
                }
            )
    return rows


def _present(figures: dict, labels: dict, prefix: str, notes: dict | None = None) -> dict:
    notes = notes or {}
    numbers, breakdowns = [], []
    for key, value in figures.items():
        label = labels.get(key, key.replace("_", " "))
        if isinstance(value, dict):
            rows = [(_item_label(key, item), number) for item, number in value.items()]
            chart = None
            if key in CHARTS or key in TIME_SERIES or key.endswith("_by_country"):
                chart = bar_chart(rows[:20], title=str(label), chart_id=f"{prefix}-{key}")
            breakdowns.append({"key": key, "label": label, "rows": rows, "chart": chart})
        else:
            # A few figures are words (how a breakdown was counted): shown by their label.
            shown = _item_label(key, value) if isinstance(value, str) else value
            numbers.append({"key": key, "label": label, "value": shown, "note": notes.get(key)})
    return {"numbers": numbers, "breakdowns": breakdowns}


def report_context(edition: Edition) -> dict:
    sections = [
        {
            "title": _("People, organisations and delegations"),
            **_present(counted_figures(edition)["core"], LABELS, "core"),
        }
    ]
    for section in area_sections(edition):
        sections.append(
            {
                "title": section["area"].name,
                **_present(
                    section["figures"],
                    section["labels"],
                    section["area"].key,
                    _figure_notes(section["area"], edition),
                ),
            }
        )
    return {"sections": sections}
