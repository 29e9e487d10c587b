import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exhibitions.models import Booth
from tests.exhibitions.factories import BoothFactory, ExhibitorFactory, HallFactory
from tests.factories import EditionFactory, FieldFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_exhibitor_payload_in_both_languages(client):
    booth = BoothFactory()
    exhibitor = ExhibitorFactory(
        edition=booth.hall.edition,
        organisation=OrganisationFactory(name_en="Acme", name_zh="阿克米", country="DE"),
        contact_email="booth@acme.example",
    )
    booth.exhibitor, booth.state = exhibitor, Booth.State.ASSIGNED
    booth.save()
    data = client.get(f"/api/v1/exhibitions/exhibitors/{exhibitor.pk}").json()
    assert data["name"] == {"en": "Acme", "zh": "阿克米"}
    assert data["description"] == {"en": "We show our products.", "zh": "我们展示产品。"}
    assert data["booth"] == booth.pk
    assert data["edition"] == booth.hall.edition.number
    assert data["contact_email"] == "booth@acme.example"
    assert client.get("/api/v1/exhibitions/exhibitors/0").status_code == 404


def test_exhibitor_filters(client):
    field = FieldFactory()
    edition = EditionFactory()
    german = ExhibitorFactory(edition=edition, organisation=OrganisationFactory(country="DE"))
    german.fields.add(field)
    other = ExhibitorFactory()
    assert ids(client.get(f"/api/v1/exhibitions/exhibitors?edition={edition.number}")) == [
        german.pk
    ]
    assert ids(client.get(f"/api/v1/exhibitions/exhibitors?field={field.slug}")) == [german.pk]
    assert ids(client.get("/api/v1/exhibitions/exhibitors?country=CN")) == [other.pk]
    assert ids(client.get("/api/v1/exhibitions/exhibitors")) == [german.pk, other.pk]


def test_halls_and_booths(client):
    hall = HallFactory()
    booths = [BoothFactory(hall=hall), BoothFactory(hall=hall)]
    BoothFactory()
    assert ids(client.get(f"/api/v1/exhibitions/halls?edition={hall.edition.number}")) == [hall.pk]
    assert ids(client.get(f"/api/v1/exhibitions/booths?hall={hall.pk}")) == [
        booth.pk for booth in booths
    ]
    assert client.get(f"/api/v1/exhibitions/halls/{hall.pk}").json()["name"] == {
        "en": hall.name_en,
        "zh": hall.name_zh,
    }


@pytest.mark.parametrize("resource", ["exhibitors", "halls", "booths"])
def test_list_queries_do_not_grow_with_the_page(client, resource):
    def make(count):
        for _ in range(count):
            booth = BoothFactory()
            exhibitor = ExhibitorFactory(edition=booth.hall.edition)
            exhibitor.fields.add(FieldFactory())
            booth.exhibitor, booth.state = exhibitor, Booth.State.ASSIGNED
            booth.save()

    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/api/v1/exhibitions/{resource}").status_code == 200
    make(5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/api/v1/exhibitions/{resource}").status_code == 200
    assert len(many) == len(one)
