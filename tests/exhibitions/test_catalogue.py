import pytest
from django.core.cache import cache
from django.urls import reverse

from ciep.caching import forget_versions
from exhibitions import selectors
from exhibitions.models import Booth
from tests.factories import (
    DelegationFactory,
    EditionFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import BoothFactory, ExhibitorFactory, HallFactory, SlotFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("exhibitions:catalogue")


def names(response):
    return [e.organisation.name_en for e in response.context["exhibitors"]]


@pytest.fixture
def fair(edition):
    """Three exhibitors of the current edition in two halls, one in a pavilion."""
    biomedicine = FieldFactory(slug="biomedicine", name_en="Biomedicine")
    hall_a = HallFactory(edition=edition, code="A")
    hall_b = HallFactory(edition=edition, code="B")
    delegation = DelegationFactory(edition=edition, name_en="Jiangsu Province")
    finnish = ExhibitorFactory(
        edition=edition,
        organisation=OrganisationFactory(
            name_en="Nordic 5G Labs", name_zh="北欧5G实验室", country="FI", type="high_tech"
        ),
    )
    israeli = ExhibitorFactory(
        edition=edition,
        organisation=OrganisationFactory(
            name_en="Galilee Biomed", name_zh="加利利生物医药", country="IL"
        ),
    )
    israeli.fields.add(biomedicine)
    pavilion = BoothFactory(
        hall=hall_b,
        kind=Booth.Kind.PAVILION,
        state=Booth.State.ASSIGNED,
        delegation=delegation,
        width=10,
        depth=10,
    )
    jiangsu = ExhibitorFactory(
        edition=edition,
        organisation=OrganisationFactory(name_en="Jiangsu Talent Centre", country="CN"),
        pavilion=pavilion,
        delegation=delegation,
    )
    BoothFactory(hall=hall_a, code="A-101", state=Booth.State.ASSIGNED, exhibitor=finnish)
    BoothFactory(hall=hall_a, code="A-102", state=Booth.State.ASSIGNED, exhibitor=israeli)
    BoothFactory(hall=hall_a, code="A-103")
    return {
        "finnish": finnish,
        "israeli": israeli,
        "jiangsu": jiangsu,
        "hall_a": hall_a,
        "hall_b": hall_b,
        "delegation": delegation,
        "field": biomedicine,
        "pavilion": pavilion,
    }


def test_catalogue_lists_current_edition_exhibitors(client, fair):
    ExhibitorFactory(edition=EditionFactory(), organisation__name_en="Old Exhibitor")
    response = client.get(CATALOGUE)
    assert response.status_code == 200
    assert names(response) == ["Galilee Biomed", "Jiangsu Talent Centre", "Nordic 5G Labs"]


def test_catalogue_searches_both_languages(client, fair):
    assert names(client.get(CATALOGUE, {"q": "北欧"})) == ["Nordic 5G Labs"]
    assert names(client.get(CATALOGUE, {"q": "galilee"})) == ["Galilee Biomed"]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("country", lambda f: "FI", ["Nordic 5G Labs"]),
        ("type", lambda f: "high_tech", ["Nordic 5G Labs"]),
        ("field", lambda f: f["field"].pk, ["Galilee Biomed"]),
        ("hall", lambda f: f["hall_b"].pk, ["Jiangsu Talent Centre"]),
        ("hall", lambda f: f["hall_a"].pk, ["Galilee Biomed", "Nordic 5G Labs"]),
        ("delegation", lambda f: f["delegation"].pk, ["Jiangsu Talent Centre"]),
    ],
)
def test_catalogue_filters(client, fair, key, value, expected):
    assert names(client.get(CATALOGUE, {key: value(fair)})) == expected


def test_catalogue_filter_choices_show_counts(client, fair):
    page = client.get(CATALOGUE).content.decode()
    assert "Finland (1)" in page
    assert "Biomedicine (1)" in page
    assert "Jiangsu Province (1)" in page


def test_catalogue_empty_state_when_nothing_matches(client, fair):
    response = client.get(CATALOGUE, {"q": "nothing-like-this"})
    assert names(response) == []
    assert "No exhibitor matches these filters" in response.content.decode()


def test_catalogue_pagination_keeps_filters(client, edition):
    for _ in range(30):
        ExhibitorFactory(edition=edition, organisation__country="DE")
    response = client.get(CATALOGUE, {"country": "DE"})
    assert len(response.context["exhibitors"]) == 24
    assert "?country=DE&amp;page=2" in response.content.decode()
    assert len(client.get(CATALOGUE, {"country": "DE", "page": 2}).context["exhibitors"]) == 6


def test_past_edition_stays_browsable(client, fair):
    past = EditionFactory(status="concluded")
    ExhibitorFactory(edition=past, organisation__name_en="Exhibitor of 2019")
    response = client.get(reverse("exhibitions:catalogue_edition", args=[past.number]))
    assert names(response) == ["Exhibitor of 2019"]
    assert "Apply to exhibit" not in response.content.decode()


def _catalogue_queries(client, django_assert_num_queries, edition, count):
    hall = HallFactory(edition=edition)
    field = FieldFactory()
    for _ in range(count):
        exhibitor = ExhibitorFactory(edition=edition)
        exhibitor.fields.add(field)
        BoothFactory(hall=hall, state=Booth.State.ASSIGNED, exhibitor=exhibitor)
    client.get(CATALOGUE)  # warm caches (sessions, content types)
    cache.clear()  # but measure the page as rendered, not as served from the page cache
    forget_versions()
    with django_assert_num_queries(QUERIES) as context:
        client.get(CATALOGUE)
    return len(context.captured_queries)


QUERIES = 18


@pytest.mark.parametrize("count", [1, 50])
def test_catalogue_query_count_does_not_grow(client, django_assert_num_queries, edition, count):
    _catalogue_queries(client, django_assert_num_queries, edition, count)


# --- Booth page -----------------------------------------------------------------------------


def test_booth_page_shows_profile_booth_and_counts_view(client, fair):
    exhibitor = fair["finnish"]
    response = client.get(exhibitor.get_absolute_url())
    page = response.content.decode()
    assert "Nordic 5G Labs" in page
    assert "A-101" in page
    assert fair["hall_a"].get_absolute_url() in page
    assert selectors.exhibitor_figures(exhibitor)["page_views"] == 1
    assert "Edit the booth page" not in page


def test_booth_page_in_chinese_shows_chinese_name(client, fair):
    page = client.get("/zh-hans" + fair["finnish"].get_absolute_url()).content.decode()
    assert "北欧5G实验室" in page


def test_booth_page_of_unknown_exhibitor_is_404(client, db):
    assert client.get(reverse("exhibitions:exhibitor_detail", args=[999])).status_code == 404


BOOTH_QUERIES = 6  # reads only: views are counted in the cache


def test_booth_profile_is_shared_but_staff_tools_are_not(client, edition):
    exhibitor = ExhibitorFactory(edition=edition, description_en="Lidar for mines.")
    staff = MembershipFactory(organisation=exhibitor.organisation).user
    client.force_login(staff)
    page = client.get(exhibitor.get_absolute_url()).content.decode()
    assert "Edit the booth page" in page
    assert "Lidar for mines." in page
    client.force_login(UserFactory())  # the profile is now drawn; the tools must not come with it
    page = client.get(exhibitor.get_absolute_url()).content.decode()
    assert "Lidar for mines." in page
    assert "Edit the booth page" not in page
    exhibitor.products.create(name_en="Tunnel scanner")
    assert "Tunnel scanner" in client.get(exhibitor.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_booth_page_query_count_does_not_grow(client, django_assert_num_queries, edition, count):
    exhibitor = ExhibitorFactory(edition=edition)
    for _ in range(count):
        SlotFactory(exhibitor=exhibitor)
        exhibitor.products.create(name_en="Product")
        exhibitor.fields.add(FieldFactory())
    client.get(exhibitor.get_absolute_url())
    cache.clear()  # measure the page as rendered, not as served from the page cache
    forget_versions()
    with django_assert_num_queries(BOOTH_QUERIES):
        client.get(exhibitor.get_absolute_url())


# --- Floor plan -----------------------------------------------------------------------------


def test_floor_plan_draws_every_booth_coloured_and_linked(client, fair):
    page = client.get(fair["hall_a"].get_absolute_url()).content.decode()
    assert page.count('class="booth booth-assigned"') == 2
    assert page.count('class="booth booth-available"') == 1
    assert fair["finnish"].get_absolute_url() in page
    assert "<svg" in page
    assert '<th scope="row">A-103</th>' in page
    assert "?booth=" in page


def test_floor_plan_shows_pavilion_with_delegation_name(client, fair):
    page = client.get(fair["hall_b"].get_absolute_url()).content.decode()
    assert "booth-pavilion" in page
    assert "Jiangsu Province" in page
    assert "Pavilion of Jiangsu Province" in page


def test_floor_plan_of_concluded_edition_offers_no_booths(client):
    hall = HallFactory(edition=EditionFactory(status="concluded"))
    BoothFactory(hall=hall)
    page = client.get(hall.get_absolute_url()).content.decode()
    assert "?booth=" not in page


def test_booth_page_views_counted_when_served_from_cache(client, fair):
    exhibitor = fair["finnish"]
    for number in range(25):  # 25 visitors: one reader is counted once a day
        address = f"10.0.1.{number}"
        assert client.get(exhibitor.get_absolute_url(), REMOTE_ADDR=address).status_code == 200
    exhibitor.refresh_from_db()
    # Twenty reached the database in one write; five wait in the cache.
    assert exhibitor.page_views == 20
    assert selectors.exhibitor_figures(exhibitor)["page_views"] == 25
