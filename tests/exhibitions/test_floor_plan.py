"""A big hall's floor plan on a phone: a booth search, a list of booths, pan and zoom added by
a static script (no inline script)."""

import pytest

from exhibitions.models import Booth
from tests.factories import DelegationFactory, OrganisationFactory, UserFactory

from .factories import BoothFactory, ExhibitorFactory, HallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(edition):
    hall = HallFactory(edition=edition, code="A", plan_width=120, plan_height=80)
    exhibitor = ExhibitorFactory(
        edition=edition,
        organisation=OrganisationFactory(name_en="Nordic Radio", name_zh="北欧无线电"),
    )
    BoothFactory(hall=hall, code="A-101", state=Booth.State.ASSIGNED, exhibitor=exhibitor)
    BoothFactory(
        hall=hall,
        code="A-200",
        kind=Booth.Kind.PAVILION,
        state=Booth.State.ASSIGNED,
        delegation=DelegationFactory(edition=edition, name_en="Jiangsu Province"),
        width=10,
        depth=10,
    )
    BoothFactory(hall=hall, code="A-102")
    return hall


def listed(response):
    return [booth.code for booth in response.context["listed"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["A-101", "A-102", "A-200"]),
        ("a-10", ["A-101", "A-102"]),
        ("nordic", ["A-101"]),
        ("北欧", ["A-101"]),
        ("jiangsu", ["A-200"]),
        ("zzz", []),
        ("<script>", []),
    ],
)
def test_booth_search_lists_matching_booths(client, hall, query, expected):
    response = client.get(hall.get_absolute_url(), {"booth": query})
    assert response.status_code == 200
    assert listed(response) == expected


def test_searched_booth_is_marked_on_the_plan(client, hall):
    page = client.get(hall.get_absolute_url(), {"booth": "nordic"}).content.decode()
    assert page.count("booth-found") == 1
    assert "1 booth matches “nordic”" in page


def test_no_match_says_so_in_both_languages(client, hall):
    page = client.get(hall.get_absolute_url(), {"booth": "zzz"}).content.decode()
    assert "No booth matches this search." in page
    page = client.get("/zh-hans" + hall.get_absolute_url(), {"booth": "zzz"}).content.decode()
    assert "没有符合搜索条件的展位。" in page
    assert "按展位号或展商查找展位" in page


def test_a_long_search_is_cut_not_refused(client, hall):
    response = client.get(hall.get_absolute_url(), {"booth": "A" * 5000})
    assert response.status_code == 200
    assert response.context["query"] == "A" * 100


def test_plan_is_enhanced_by_a_static_script_only(client, hall):
    page = client.get(hall.get_absolute_url()).content.decode()
    assert '<script src="/static/js/floor-plan.js" defer></script>' in page
    assert "<script>" not in page
    assert 'data-floor-plan data-label-in="Zoom in"' in page
    assert 'href="#booth-list-heading"' in page


@pytest.mark.parametrize("count", [3, 60])
def test_hall_page_queries_do_not_grow(client, edition, django_assert_max_num_queries, count):
    client.force_login(UserFactory())
    hall = HallFactory(edition=edition, plan_width=200, plan_height=200)
    for index in range(count):
        exhibitor = ExhibitorFactory(edition=edition)
        BoothFactory(
            hall=hall, code=f"B-{index:03d}", state=Booth.State.ASSIGNED, exhibitor=exhibitor
        )
    client.get(hall.get_absolute_url(), {"booth": "B-0"})
    with django_assert_max_num_queries(8):
        client.get(hall.get_absolute_url(), {"booth": "B-0"})
