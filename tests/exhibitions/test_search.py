"""The catalogue's keyword search reads names, profiles, products and fields; a filter value
that names nothing shows no exhibitor and says so."""

import pytest
from django.urls import reverse

from tests.factories import EditionFactory, FieldFactory, OrganisationFactory

from .factories import ExhibitorFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("exhibitions:catalogue")


def names(response):
    return [e.organisation.name_en for e in response.context["exhibitors"]]


@pytest.fixture
def five_g(edition):
    field = FieldFactory(slug="5g", name_en="5G", name_zh="5G通信")
    labs = []
    for name in ("Aalto Radio", "Baltic Wireless", "Coastal Antennas"):
        exhibitor = ExhibitorFactory(
            edition=edition,
            organisation=OrganisationFactory(name_en=name),
            description_en="We build things.",
            description_zh="",
        )
        exhibitor.fields.add(field)
        labs.append(exhibitor)
    ExhibitorFactory(edition=edition, organisation=OrganisationFactory(name_en="Delta Pharma"))
    return {"field": field, "labs": labs}


def test_search_finds_every_exhibitor_of_a_field(client, five_g):
    assert names(client.get(CATALOGUE, {"q": "5G"})) == [
        "Aalto Radio",
        "Baltic Wireless",
        "Coastal Antennas",
    ]
    assert names(client.get(CATALOGUE, {"q": "5G通信"})) == [
        "Aalto Radio",
        "Baltic Wireless",
        "Coastal Antennas",
    ]


def test_search_reads_products_and_profiles(client, edition, five_g):
    five_g["labs"][1].products.create(name_en="Massive MIMO panel", summary_zh="毫米波天线阵列")
    pharma = ExhibitorFactory(
        edition=edition,
        organisation=OrganisationFactory(name_en="Echo Optics"),
        description_en="Lidar and photonics.",
    )
    assert names(client.get(CATALOGUE, {"q": "mimo"})) == ["Baltic Wireless"]
    assert names(client.get(CATALOGUE, {"q": "毫米波"})) == ["Baltic Wireless"]
    assert names(client.get(CATALOGUE, {"q": "photonics"})) == [pharma.organisation.name_en]


def test_search_lists_each_exhibitor_once(client, five_g):
    lab = five_g["labs"][0]
    lab.products.create(name_en="5G router")
    lab.products.create(name_en="5G modem")
    lab.fields.add(FieldFactory(slug="5g-advanced", name_en="5G Advanced"))
    assert names(client.get(CATALOGUE, {"q": "5g"})) == [
        "Aalto Radio",
        "Baltic Wireless",
        "Coastal Antennas",
    ]


def test_search_stays_in_the_edition(client, five_g):
    other = ExhibitorFactory(edition=EditionFactory(), organisation__name_en="Old 5G Expo")
    other.fields.add(five_g["field"])
    assert "Old 5G Expo" not in names(client.get(CATALOGUE, {"q": "5G"}))


def test_field_filter_takes_slug_and_old_id(client, five_g):
    expected = ["Aalto Radio", "Baltic Wireless", "Coastal Antennas"]
    assert names(client.get(CATALOGUE, {"field": "5g"})) == expected
    assert names(client.get(CATALOGUE, {"field": five_g["field"].pk})) == expected


def test_field_choices_are_named_by_slug(client, five_g):
    page = client.get(CATALOGUE).content.decode()
    assert '<option value="5g">5G (3)</option>' in page


@pytest.mark.parametrize(
    "query",
    [
        {"field": "no-such-field"},
        {"field": "999999"},
        {"country": "ZZ"},
        {"hall": "999999"},
        {"hall": "not-a-number"},
        {"delegation": "x"},
        {"type": "spaceship"},
    ],
)
def test_filter_value_matching_nothing_shows_none_and_says_so(client, five_g, query):
    response = client.get(CATALOGUE, query)
    assert response.status_code == 200
    assert names(response) == []
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "No exhibitor matches these filters" in page


def test_filter_value_matching_nothing_in_chinese(client, five_g):
    response = client.get("/zh-hans" + CATALOGUE, {"field": "no-such-field"})
    assert names(response) == []
    assert "选择一个有效的选项" in response.content.decode()
