"""Time zones named for people: by country and offset from UTC, in the page's language.

An IANA zone's own name ("Asia/Shanghai", "Europe/Berlin") is an English identifier, not
something to show a reader: every page, form and mail of the portal names a zone with
``zone_label`` ("Germany time, UTC+01:00", "德国时间，UTC+01:00"), and lists zones to choose
from with ``zone_choices``. The zone's country comes from the IANA's own table (zone.tab, one
country per zone), read from the system's zone files or the tzdata package.
"""

import functools
import zoneinfo
from datetime import datetime
from importlib import resources
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries.fields import Country


def _zone_table() -> str:
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@functools.cache
def zone_countries() -> dict[str, str]:
    """Each zone's country, as an ISO 3166 code (``{"Europe/Berlin": "DE", ...}``)."""
    table = {}
    for line in _zone_table().splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, name, *_comment = line.split("\t")
            table[name] = code
    return table


def _offset(name: str, moment: datetime | None) -> str:
    local = timezone.localtime(moment or timezone.now(), zoneinfo.ZoneInfo(name))
    offset = local.strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def zone_label(name: str, moment: datetime | None = None, *, country: str = "") -> str:
    """The zone ``name`` at ``moment`` (now by default), by its country (``country``, an ISO
    code, when the caller knows better, as a venue does) and its offset from UTC:
    "Germany time, UTC+01:00"; a zone of no country is "UTC+00:00"."""
    offset = _offset(name, moment)
    code = country or zone_countries().get(name, "")
    if not code:
        return _("UTC%(offset)s") % {"offset": offset}
    return _("%(country)s time, UTC%(offset)s") % {
        "country": Country(code=code).name,
        "offset": offset,
    }


def zone_choices(
    names, moment: datetime | None = None, *, by_offset: bool = False
) -> list[tuple[str, str]]:
    """``(name, label)`` pairs for a choice of zones, labelled by ``zone_label``; zones that
    would read the same (a country's zones at one offset) add their main city. With
    ``by_offset`` the list runs from the westernmost offset to the easternmost."""
    names = list(names)
    labels = {name: zone_label(name, moment) for name in names}
    counts = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    for name, label in labels.items():
        if counts[label] > 1:
            city = name.rsplit("/", 1)[-1].replace("_", " ")
            labels[name] = _("%(zone)s (%(city)s)") % {"zone": label, "city": city}
    choices = [(name, labels[name]) for name in names]
    if by_offset:
        choices.sort(key=lambda choice: (_minutes(_offset(choice[0], moment)), choice[1]))
    return choices


def _minutes(offset: str) -> int:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    return sign * (int(hours) * 60 + int(minutes))


def zone_form_choices(current: str = "", moment: datetime | None = None):
    """Every country's zones (and UTC) to choose from, by offset, with ``current`` (a zone
    already chosen, perhaps an old alias) kept among them."""
    names = [*sorted(zone_countries()), "UTC"]
    if current and current not in names:
        names.append(current)
    return zone_choices(names, moment, by_offset=True)
