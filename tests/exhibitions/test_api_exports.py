"""The organisers' exports of the exhibition hall through the API: exhibitors with their
contacts and every negotiation meeting, for an organiser's token of the exports:read scope."""

import pytest

from tests.api_checks import EXPORTS, assert_denials, assert_queries_flat
from tests.factories import bearer

from .factories import (
    ApplicationFactory,
    BoothFactory,
    ExhibitorFactory,
    HallFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

EXHIBITORS = "/api/v1/exhibitions/exports/exhibitors"
MEETINGS = "/api/v1/exhibitions/exports/meetings"
BOOTH_APPLICATIONS = "/api/v1/exhibitions/exports/booth-applications"


def test_organisers_token_reads_every_exhibitor_with_contacts(client, organiser):
    hall = HallFactory(code="H9")
    placed = ExhibitorFactory(
        edition=hall.edition, contact_name="Li Lei", contact_email="li@example.cn"
    )
    BoothFactory(hall=hall, code="H9-01", state="assigned", exhibitor=placed)
    other = ExhibitorFactory()
    response = client.get(EXHIBITORS, **bearer(organiser, EXPORTS))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [placed.pk, other.pk]
    assert rows[0] == {
        "id": placed.pk,
        "edition": hall.edition.number,
        "organisation": placed.organisation_id,
        "name": {"en": placed.organisation.name_en, "zh": placed.organisation.name_zh},
        "country": placed.organisation.country.code,
        "type": placed.organisation.type,
        "booth": "H9-01",
        "hall": "H9",
        "contact_name": "Li Lei",
        "contact_email": "li@example.cn",
        "contact_phone": "",
        "page_views": 0,
    }
    assert rows[1]["booth"] == rows[1]["hall"] == ""
    assert response["Cache-Control"] == "private, no-cache"
    by_edition = client.get(
        f"{EXHIBITORS}?edition={other.edition.number}", **bearer(organiser, EXPORTS)
    )
    assert [row["id"] for row in by_edition.json()["results"]] == [other.pk]
    by_hall = client.get(f"{EXHIBITORS}?hall=H9", **bearer(organiser, EXPORTS))
    assert [row["id"] for row in by_hall.json()["results"]] == [placed.pk]


def test_organisers_token_reads_every_meeting(client, organiser):
    requested = MeetingFactory(message="About batteries")
    cancelled = MeetingFactory(state="cancelled")
    response = client.get(MEETINGS, **bearer(organiser, EXPORTS))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [requested.pk, cancelled.pk]
    organisation = requested.slot.exhibitor.organisation
    assert rows[0]["exhibitor"] == requested.slot.exhibitor_id
    assert rows[0]["exhibitor_name"] == {"en": organisation.name_en, "zh": organisation.name_zh}
    assert rows[0]["requester_email"] == requested.requester.email
    assert (rows[0]["state"], rows[0]["mode"], rows[0]["message"]) == (
        "requested",
        "online",
        "About batteries",
    )
    only = client.get(f"{MEETINGS}?state=cancelled", **bearer(organiser, EXPORTS))
    assert [row["id"] for row in only.json()["results"]] == [cancelled.pk]
    wrong = client.get(f"{MEETINGS}?state=lost", **bearer(organiser, EXPORTS))
    assert wrong.status_code == 400
    assert wrong.json()["detail"][0]["loc"] == ["query", "state"]


@pytest.mark.parametrize("url", [EXHIBITORS, MEETINGS, BOOTH_APPLICATIONS])
def test_exhibition_exports_refuse_everyone_else(client, organiser, url):
    MeetingFactory()
    assert_denials(client, url, organiser, other_scope="exhibitions:read")


def test_exhibitor_export_queries_do_not_grow_with_rows(client, organiser):
    def placed():
        BoothFactory(state="assigned", exhibitor=ExhibitorFactory())

    placed()
    assert_queries_flat(client, EXHIBITORS, organiser, placed)


def test_meeting_export_queries_do_not_grow_with_rows(client, organiser):
    MeetingFactory()
    assert_queries_flat(client, MEETINGS, organiser, MeetingFactory)


def test_organisers_token_reads_every_booth_application(client, organiser):
    hall = HallFactory(code="H3")
    wanted = ApplicationFactory(edition=hall.edition, hall=hall, size_m2=18)
    rejected = ApplicationFactory(state="rejected", decision_note="Too late.")
    headers = bearer(organiser, EXPORTS)
    response = client.get(BOOTH_APPLICATIONS, **headers)
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [wanted.pk, rejected.pk]
    assert rows[0]["organisation_name"] == {
        "en": wanted.organisation.name_en,
        "zh": wanted.organisation.name_zh,
    }
    assert (rows[0]["hall"], rows[0]["size_m2"], rows[0]["booth"], rows[0]["state"]) == (
        "H3",
        18,
        "",
        "submitted",
    )
    assert rows[0]["description"] == {"en": "Our profile.", "zh": ""}
    only = client.get(f"{BOOTH_APPLICATIONS}?state=rejected", **headers)
    assert [row["decision_note"] for row in only.json()["results"]] == ["Too late."]


def test_booth_application_export_queries_do_not_grow_with_rows(client, organiser):
    ApplicationFactory()
    assert_queries_flat(client, BOOTH_APPLICATIONS, organiser, ApplicationFactory)
