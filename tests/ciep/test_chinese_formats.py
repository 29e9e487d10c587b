import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from ciep.bilingual import edition_ordinal


@pytest.mark.parametrize(
    ("number", "english"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (17, "17th"),
        (20, "20th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_edition_ordinal_in_english_and_chinese(number, english):
    assert edition_ordinal(number, "en") == f"{english} edition"
    assert edition_ordinal(number, "zh-hans") == f"第{number}届"


def _render(text: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(text).render(Context(context))


def test_programme_day_heading_reads_as_each_language_writes_a_date():
    day = datetime.date(2022, 5, 26)
    template = "{% load portal %}{{ day|day_heading }}"

    assert _render(template, "en", day=day) == "Thursday 26 May 2022"
    assert _render(template, "zh-hans", day=day) == "2022年5月26日 星期四"


def test_figures_are_grouped_by_thousands_in_both_languages():
    template = "{% load humanize %}{{ value|intcomma }}"

    assert _render(template, "en", value=110000) == "110,000"
    assert _render(template, "zh-hans", value=110000) == "110,000"
    assert _render(template, "zh-hans", value=2105) == "2,105"


def test_month_day_has_no_leading_zero_in_chinese():
    template = '{{ day|date:"MONTH_DAY_FORMAT" }}'

    assert _render(template, "zh-hans", day=datetime.date(2022, 5, 6)) == "5月6日"
