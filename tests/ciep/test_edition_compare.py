"""The compare page: any number of editions, oldest first, changes older -> newer, a trend
chart per figure and the totals across every edition."""

import pytest
from django.urls import reverse

from ciep.models import Attendance
from tests.factories import EditionFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPARE = reverse("ciep:edition_compare")


def edition_with_visitors(number, year, count):
    edition = EditionFactory(number=number, year=year)
    for index in range(count):
        Attendance.objects.create(edition=edition, name=f"V{index}", role="visitor", country="CN")
    return edition


@pytest.fixture
def editions():
    return [
        edition_with_visitors(17, 2019, 5),
        edition_with_visitors(18, 2020, 1),
        edition_with_visitors(20, 2022, 4),
    ]


def rows(response):
    return {row["key"]: row for row in response.context["rows"]}


def test_three_editions_oldest_first_with_steps_and_totals(client, editions):
    response = client.get(COMPARE, {"e": [20, 17, 18]})
    assert [edition.number for edition in response.context["chosen"]] == [17, 18, 20]
    visitors = rows(response)["visitors"]
    assert visitors["values"] == [5, 1, 4]
    assert visitors["steps"] == [
        {"change": -4, "percent": -80.0},
        {"change": 3, "percent": 300.0},
    ]
    assert (visitors["change"], visitors["percent"]) == (-1, -20.0)
    assert visitors["total"] == 10


def test_a_fall_reads_as_a_fall(client, editions):
    response = client.get(COMPARE, {"a": 17, "b": 18})
    visitors = rows(response)["visitors"]
    assert visitors["values"] == [5, 1]
    assert (visitors["change"], visitors["percent"]) == (-4, -80.0)
    response = client.get(COMPARE, {"a": 18, "b": 17})
    assert rows(response)["visitors"]["values"] == [5, 1]


def test_totals_count_every_edition_not_only_the_chosen(client, editions):
    response = client.get(COMPARE, {"e": [17, 18]})
    assert rows(response)["visitors"]["total"] == 10
    assert "Total of 3 editions" in response.content.decode()


def test_each_figure_has_a_trend_chart(client, editions):
    page = client.get(COMPARE, {"e": [17, 18, 20]}).content.decode()
    assert page.count('<svg class="trend-chart"') == len(
        client.get(COMPARE, {"e": [17, 18, 20]}).context["rows"]
    )
    assert 'aria-labelledby="trend-visitors-title"' in page
    assert "<title>2019: 5</title>" in page
    assert "<title>2022: 4</title>" in page


def test_trend_chart_draws_one_point_per_edition():
    from ciep.charts import trend_chart

    svg = trend_chart([("2019", 5), ("2020", 0), ("2022", 10)], title="V", chart_id="t")
    assert svg.count("<circle") == 3
    assert 'points="24.0,60.0 160.0,96.0 296.0,24.0"' in svg
    assert trend_chart([], title="V", chart_id="t") == ""


@pytest.mark.parametrize(
    "query",
    [{"e": [17]}, {"e": [17, 17]}, {"e": [999, 17]}, {"e": ["x"]}, {"a": 17}, {"e": ""}],
)
def test_bad_choices_are_form_errors(client, editions, query):
    response = client.get(COMPARE, query)
    assert response.status_code == 200
    assert response.context["rows"] is None
    assert response.context["form"].errors


def test_compare_in_chinese(client, editions):
    page = client.get("/zh-hans" + COMPARE, {"e": [17, 20]}).content.decode()
    assert "要对比的届次" in page
    assert "3届合计" in page


@pytest.mark.parametrize("count", [2, 6])
def test_compare_query_count_does_not_grow_with_editions(
    client, django_assert_max_num_queries, count
):
    client.force_login(UserFactory())
    for number in range(count):
        edition_with_visitors(30 + number, 2030 + number, 1)
    numbers = [30 + number for number in range(count)]
    client.get(COMPARE, {"e": numbers})  # the reports are counted once, then shared
    with django_assert_max_num_queries(8):
        client.get(COMPARE, {"e": numbers})
