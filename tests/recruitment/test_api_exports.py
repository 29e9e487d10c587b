"""The organisers' exports of the recruitment area through the API: every job application
and every answer to a delegation's talent demand, for an organiser's token of the
exports:read scope."""

import pytest

from tests.api_checks import EXPORTS, assert_denials, assert_queries_flat
from tests.factories import bearer

from .factories import ApplicationFactory, DemandAnswerFactory, JobPostingFactory

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/recruitment/exports/applications"
ANSWERS = "/api/v1/recruitment/exports/demand-answers"


def test_organisers_token_reads_every_application(client, organiser):
    posting = JobPostingFactory()
    submitted = ApplicationFactory(posting=posting)
    rejected = ApplicationFactory(state="rejected")
    response = client.get(APPLICATIONS, **bearer(organiser, EXPORTS))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [submitted.pk, rejected.pk]
    assert rows[0] == {
        "id": submitted.pk,
        "posting": posting.pk,
        "posting_title": {"en": posting.title_en, "zh": posting.title_zh},
        "organisation": posting.organisation_id,
        "employer": {"en": posting.organisation.name_en, "zh": posting.organisation.name_zh},
        "talent_name": submitted.talent.user.name,
        "talent_email": submitted.talent.user.email,
        "nationality": "RU",
        "headline": submitted.talent.headline,
        "state": "submitted",
        "state_changed_at": rows[0]["state_changed_at"],
        "created_at": rows[0]["created_at"],
    }
    headers = bearer(organiser, EXPORTS)
    by_posting = client.get(f"{APPLICATIONS}?posting={posting.pk}", **headers)
    assert [row["id"] for row in by_posting.json()["results"]] == [submitted.pk]
    by_state = client.get(f"{APPLICATIONS}?state=rejected", **headers)
    assert [row["id"] for row in by_state.json()["results"]] == [rejected.pk]
    wrong = client.get(f"{APPLICATIONS}?state=lost", **headers)
    assert wrong.status_code == 400
    assert wrong.json()["detail"][0]["loc"] == ["query", "state"]


def test_organisers_token_reads_every_demand_answer(client, organiser):
    answer, other = DemandAnswerFactory(message="I can help."), DemandAnswerFactory()
    response = client.get(ANSWERS, **bearer(organiser, EXPORTS))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [answer.pk, other.pk]
    assert rows[0]["demand"] == answer.demand_id
    assert rows[0]["demand_title"] == {"en": answer.demand.title_en, "zh": answer.demand.title_zh}
    assert rows[0]["delegation"] == answer.demand.delegation_id
    assert (rows[0]["talent_email"], rows[0]["message"]) == (
        answer.talent.user.email,
        "I can help.",
    )
    edition = other.demand.delegation.edition.number
    by_edition = client.get(f"{ANSWERS}?edition={edition}", **bearer(organiser, EXPORTS))
    assert [row["id"] for row in by_edition.json()["results"]] == [other.pk]


@pytest.mark.parametrize("url", [APPLICATIONS, ANSWERS])
def test_recruitment_exports_refuse_everyone_else(client, organiser, url):
    ApplicationFactory()
    assert_denials(client, url, organiser, other_scope="recruitment:read")


@pytest.mark.parametrize(
    ("url", "factory"), [(APPLICATIONS, ApplicationFactory), (ANSWERS, DemandAnswerFactory)]
)
def test_recruitment_export_queries_do_not_grow_with_rows(client, organiser, url, factory):
    factory()
    assert_queries_flat(client, url, organiser, factory)
