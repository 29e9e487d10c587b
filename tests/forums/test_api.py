import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import FieldFactory
from tests.forums.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_session_payload_with_venue_and_speakers(client):
    role = SessionSpeakerFactory(role="keynote")
    session = role.session
    data = client.get(f"/api/v1/forums/sessions/{session.pk}").json()
    assert data["title"] == {"en": session.title_en, "zh": session.title_zh}
    assert data["venue"]["city"] == {"en": "Shenzhen", "zh": "深圳"}
    assert data["speakers"] == [{"speaker": role.speaker_id, "role": "keynote"}]
    speaker = client.get(f"/api/v1/forums/speakers/{role.speaker_id}").json()
    assert speaker["name"] == {"en": role.speaker.name_en, "zh": role.speaker.name_zh}
    assert "user" not in speaker


def test_session_and_section_filters(client):
    field = FieldFactory()
    first = SessionFactory(title_en="Quantum talent")
    first.fields.add(field)
    second = SessionFactory()
    assert ids(client.get(f"/api/v1/forums/sessions?edition={first.edition.number}")) == [first.pk]
    assert ids(client.get(f"/api/v1/forums/sessions?field={field.slug}")) == [first.pk]
    assert ids(client.get("/api/v1/forums/sessions?q=quantum")) == [first.pk]
    assert ids(client.get(f"/api/v1/forums/sections?edition={second.edition.number}")) == [
        second.section_id
    ]
    SpeakerFactory(name_en="Ada Lovelace")
    assert len(ids(client.get("/api/v1/forums/speakers?q=lovelace"))) == 1


@pytest.mark.parametrize("resource", ["sessions", "sections", "speakers"])
def test_list_queries_do_not_grow_with_the_page(client, resource):
    def make(count):
        for _ in range(count):
            role = SessionSpeakerFactory()
            role.session.fields.add(FieldFactory())

    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/api/v1/forums/{resource}").status_code == 200
    make(5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/api/v1/forums/{resource}").status_code == 200
    assert len(many) == len(one)
