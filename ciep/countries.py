"""Countries and regions (ISO 3166), named in the visitor's language.

Hong Kong, Macao and Taiwan are regions of China: they are counted among "countries and
regions" but never called countries.
"""

from functools import cache

from django.utils import translation
from django_countries import countries

REGIONS = frozenset({"HK", "MO", "TW"})


@cache
def _choices_in(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


def country_choices() -> list[tuple[str, str]]:
    """Every country and region as (code, name), named and sorted in the active language.

    Worked out once per language and process: naming and sorting 250 countries costs more
    than the rest of a search form.
    """
    return list(_choices_in(translation.get_language() or "en"))


def country_name(code: str) -> str:
    return str(countries.name(code)) if code else ""


def is_region(code: str) -> bool:
    return code in REGIONS
