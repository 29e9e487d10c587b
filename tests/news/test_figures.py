import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from ciep.models import Edition
from ciep.report import edition_report
from tests.ciep.test_generate import AREAS, SMALL
from tests.news.factories import ArticleFactory, DraftFactory, MediaFigureFactory

pytestmark = pytest.mark.django_db


def test_report_has_media_figures_even_when_nothing_was_entered(edition):
    figures = edition_report(edition)
    assert (
        figures["media_outlets"],
        figures["press_releases"],
        figures["new_media_readership"],
    ) == (0, 0, 0)


def test_press_releases_count_those_published_here_plus_those_entered(edition):
    ArticleFactory.create_batch(2, edition=edition, category="press_release")
    ArticleFactory(edition=edition, category="news")
    DraftFactory(edition=edition, category="press_release")
    ArticleFactory(category="press_release")  # another edition's
    MediaFigureFactory(edition=edition, key="press_releases", value=100)
    assert edition_report(edition)["press_releases"] == 102


def test_entered_live_views_replace_the_forums_own_count(edition):
    assert edition_report(edition)["live_views"] == 0
    MediaFigureFactory(edition=edition, key="live_views", value=687_000)
    assert edition_report(edition)["live_views"] == 687_000


def test_report_page_says_where_each_media_figure_comes_from(client, edition):
    ArticleFactory(edition=edition, category="press_release")
    MediaFigureFactory(
        edition=edition,
        key="new_media_readership",
        value=32_000_000,
        source_en="WeChat, Weibo and Douyin statistics",
        as_of=date(2019, 4, 16),
    )
    body = client.get(f"/editions/{edition.number}/report/").content.decode()
    assert "32,000,000" in body
    assert (
        "Entered by the organisers: WeChat, Weibo and Douyin statistics, as of April 16, 2019."
        in body
    )
    assert "1 published on this portal." in body
    chinese = client.get(f"/zh-hans/editions/{edition.number}/report/").content.decode()
    assert "组织方录入：" in chinese


def test_report_json_and_csv_carry_the_media_figures(client, edition):
    MediaFigureFactory(edition=edition, key="media_outlets", value=73)
    data = client.get(f"/editions/{edition.number}/report.json").json()
    assert (data["media_outlets"], data["press_releases"]) == (73, 0)
    response = client.get(f"/editions/{edition.number}/report.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Media outlets", "", "73"] in rows
    assert ["New-media readership", "", "0"] in rows


def test_report_refreshes_when_organisers_enter_a_figure(client, edition):
    url = f"/editions/{edition.number}/report.json"
    assert client.get(url).json()["new_media_readership"] == 0
    MediaFigureFactory(edition=edition, key="new_media_readership", value=5)
    assert client.get(url).json()["new_media_readership"] == 5


def test_generated_seventeenth_edition_reproduces_the_published_media_figures():
    call_command("generate_edition", "17", "--seed", "3", stdout=io.StringIO(), **SMALL, **AREAS)
    figures = edition_report(Edition.objects.get(number=17))
    assert (
        figures["media_outlets"],
        figures["press_releases"],
        figures["live_views"],
        figures["new_media_readership"],
    ) == (73, 1857, 687_000, 32_000_000)
    # Generated again: replaced, not doubled.
    call_command("generate_edition", "17", "--seed", "3", stdout=io.StringIO(), **SMALL, **AREAS)
    assert edition_report(Edition.objects.get(number=17))["press_releases"] == 1857
