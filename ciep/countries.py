"""Countries and regions (ISO 3166), named in the visitor's language.

Hong Kong, Macao and Taiwan are regions of China: they are counted among "countries and
regions" but never called countries.
"""

from functools import cache

import django_countries
from django.utils import translation
from django_countries import countries
from pypinyin import Style, lazy_pinyin, load_phrases_dict

from .bilingual import is_chinese

REGIONS = frozenset({"HK", "MO", "TW"})
_english_sort_key = django_countries.sort_key
# Names whose first character pypinyin reads with its everyday sound: 秘鲁 is mì lǔ, not bì.
load_phrases_dict({"秘鲁": [["mì"], ["lǔ"]]})


def pinyin_key(name: str) -> tuple[str, str]:
    """A Chinese name's place in a Chinese list: by its pinyin, as Chinese dictionaries and
    official lists order names (阿富汗 ā before 巴西 bā before 中国 zhōng), tones breaking ties."""
    name = name.strip()
    return (
        " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="default")).casefold(),
        " ".join(lazy_pinyin(name, style=Style.TONE3, errors="default")),
    )


def sort_key(item) -> object:
    """django-countries' sort key, by pinyin when the list is read in Chinese.

    django-countries sorts by the Unicode collation, which orders Chinese names by code point
    (a radical order no reader recognises); every country list, the forms' included, goes
    through this key once it is installed (``install_pinyin_order``)."""
    if is_chinese(translation.get_language()):
        return pinyin_key(str(item[1]))
    return _english_sort_key(item)


def install_pinyin_order() -> None:
    django_countries.sort_key = sort_key


@cache
def _choices_in(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


def country_choices() -> list[tuple[str, str]]:
    """Every country and region as (code, name), named and sorted in the active language
    (Chinese names by pinyin), China and its regions first.

    Worked out once per language and process: naming and sorting 250 countries costs more
    than the rest of a search form.
    """
    return list(_choices_in(translation.get_language() or "en"))


def country_name(code: str) -> str:
    return str(countries.name(code)) if code else ""


def is_region(code: str) -> bool:
    return code in REGIONS
