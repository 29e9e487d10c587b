"""Countries and regions (ISO 3166), named in the visitor's language.

Hong Kong, Macao and Taiwan are regions of China: they are counted among "countries and
regions" but never called countries.
"""

from django_countries import countries

REGIONS = frozenset({"HK", "MO", "TW"})


def country_name(code: str) -> str:
    return str(countries.name(code)) if code else ""


def is_region(code: str) -> bool:
    return code in REGIONS
