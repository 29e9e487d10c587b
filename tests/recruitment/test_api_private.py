"""A talent's and an employer's own data through the JSON API, with personal access tokens."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ciep.models import AccessToken
from recruitment.models import Application, ApplicationEvent
from tests.api_checks import assert_queries_flat
from tests.factories import DelegationMemberFactory, MembershipFactory, UserFactory, bearer
from tests.recruitment.factories import (
    ApplicationFactory,
    DemandAnswerFactory,
    JobPostingFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

pytestmark = pytest.mark.django_db

MY_APPLICATIONS = "/api/v1/recruitment/me/applications"
MY_POSTINGS = "/api/v1/recruitment/me/postings"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def employer():
    posting = JobPostingFactory(draft=True)
    admin = MembershipFactory(organisation=posting.organisation, role="admin").user
    return posting, admin


def test_talent_reads_own_applications(client):
    mine = ApplicationFactory()
    ApplicationFactory()
    headers = bearer(mine.talent.user, "recruitment:read")
    assert ids(client.get(MY_APPLICATIONS, **headers)) == [mine.pk]
    [row] = client.get(MY_APPLICATIONS, **headers).json()["results"]
    assert row["posting"] == mine.posting_id
    assert row["state"] == "submitted"


def test_employer_reads_postings_drafts_included(client, employer):
    posting, admin = employer
    JobPostingFactory()
    ApplicationFactory(posting=posting)
    response = client.get(MY_POSTINGS, **bearer(admin, "recruitment:read"))
    assert ids(response) == [posting.pk]
    assert response.json()["results"][0]["status"] == "draft"
    assert response.json()["results"][0]["application_count"] == 1


def test_employer_reads_applications_to_a_posting(client, employer):
    posting, admin = employer
    application = ApplicationFactory(posting=posting)
    ApplicationFactory()
    url = f"{MY_POSTINGS}/{posting.pk}/applications"
    response = client.get(url, **bearer(admin, "recruitment:read"))
    assert ids(response) == [application.pk]
    assert response.json()["results"][0]["talent_email"] == application.talent.user.email


def test_employer_moves_an_application_through_the_service(client, employer):
    posting, admin = employer
    application = ApplicationFactory(posting=posting)
    url = f"{MY_POSTINGS}/{posting.pk}/applications/{application.pk}/state"
    response = client.post(
        url,
        {"state": "shortlisted"},
        content_type="application/json",
        **bearer(admin, "recruitment:write"),
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "shortlisted"
    application.refresh_from_db()
    assert application.state == Application.State.SHORTLISTED
    assert list(ApplicationEvent.objects.values_list("from_state", "to_state", "by")) == [
        ("submitted", "shortlisted", admin.pk)
    ]


def test_illegal_move_is_a_400(client, employer):
    posting, admin = employer
    application = ApplicationFactory(posting=posting, state=Application.State.HIRED)
    url = f"{MY_POSTINGS}/{posting.pk}/applications/{application.pk}/state"
    headers = bearer(admin, "recruitment:write")
    for state in ("shortlisted", "withdrawn", "nonsense"):
        response = client.post(url, {"state": state}, content_type="application/json", **headers)
        assert response.status_code == 400, state
        assert [error["loc"] for error in response.json()["detail"]] == [["body", "data", "state"]]
    application.refresh_from_db()
    assert application.state == Application.State.HIRED


def test_move_needs_the_write_scope(client, employer):
    posting, admin = employer
    application = ApplicationFactory(posting=posting)
    url = f"{MY_POSTINGS}/{posting.pk}/applications/{application.pk}/state"
    response = client.post(
        url,
        {"state": "shortlisted"},
        content_type="application/json",
        **bearer(admin, "recruitment:read"),
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_employer_gets_404(client, employer, method):
    posting, _admin = employer
    application = ApplicationFactory(posting=posting)
    stranger = MembershipFactory(role="admin").user
    headers = bearer(stranger, "recruitment:read", "recruitment:write")
    if method == "get":
        response = client.get(f"{MY_POSTINGS}/{posting.pk}/applications", **headers)
    else:
        response = client.post(
            f"{MY_POSTINGS}/{posting.pk}/applications/{application.pk}/state",
            {"state": "shortlisted"},
            content_type="application/json",
            **headers,
        )
    assert response.status_code == 404
    assert ids(client.get(MY_POSTINGS, **headers)) == []
    assert ids(client.get(MY_APPLICATIONS, **headers)) == []


@pytest.mark.parametrize("url", [MY_APPLICATIONS, MY_POSTINGS])
def test_missing_scope_is_403(client, url):
    response = client.get(url, **bearer(UserFactory(), "projects:read"))
    assert response.status_code == 403


@pytest.mark.parametrize("url", [MY_APPLICATIONS, MY_POSTINGS])
def test_revoked_expired_or_no_token_is_401(client, url):
    user = UserFactory()
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer ciep_unknown").status_code == 401
    revoked = bearer(user, "recruitment:read")
    AccessToken.objects.update(revoked_at=timezone.now())
    assert client.get(url, **revoked).status_code == 401
    expired = bearer(
        user, "recruitment:read", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    AccessToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    assert client.get(url, **expired).status_code == 401


def test_errors_are_english_whatever_the_clients_language(client, employer):
    posting, admin = employer
    application = ApplicationFactory(posting=posting, state=Application.State.HIRED)
    response = client.post(
        f"{MY_POSTINGS}/{posting.pk}/applications/{application.pk}/state",
        {"state": "rejected"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9",
        **bearer(admin, "recruitment:write"),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            {
                "type": "value_error",
                "loc": ["body", "data", "state"],
                "msg": "An application cannot go from “Hired” to “Rejected”.",
            }
        ]
    }


MY_DEMANDS = "/api/v1/recruitment/me/demands"


def test_delegation_members_read_their_talent_demands_and_answers(client):

    member = DelegationMemberFactory()
    demand = TalentDemandFactory(delegation=member.delegation)
    closed = TalentDemandFactory(delegation=member.delegation, status="closed")
    answer = DemandAnswerFactory(demand=demand, message="I lead a lab.")
    DemandAnswerFactory()  # to another delegation's demand
    headers = bearer(member.user, "recruitment:read")
    response = client.get(MY_DEMANDS, **headers)
    assert ids(response) == [demand.pk, closed.pk]
    assert [row["answer_count"] for row in response.json()["results"]] == [1, 0]
    assert response.json()["results"][1]["status"] == "closed"
    answers = client.get(f"{MY_DEMANDS}/{demand.pk}/answers", **headers)
    assert ids(answers) == [answer.pk]
    assert answers.json()["results"][0] == {
        "id": answer.pk,
        "demand": demand.pk,
        "talent_name": answer.talent.user.name,
        "talent_email": answer.talent.user.email,
        "nationality": "RU",
        "headline": answer.talent.headline,
        "message": "I lead a lab.",
        "created_at": answers.json()["results"][0]["created_at"],
    }


def test_another_delegations_demand_is_a_404_and_lists_nothing(client):

    answer = DemandAnswerFactory()
    headers = bearer(UserFactory(), "recruitment:read")
    assert ids(client.get(MY_DEMANDS, **headers)) == []
    assert client.get(f"{MY_DEMANDS}/{answer.demand_id}/answers", **headers).status_code == 404
    assert client.get(MY_DEMANDS, **bearer(UserFactory(), "projects:read")).status_code == 403
    assert client.get(MY_DEMANDS).status_code == 401


@pytest.mark.parametrize("answers", [False, True])
def test_my_demands_queries_do_not_grow_with_rows(client, answers):

    member = DelegationMemberFactory()
    demand = TalentDemandFactory(delegation=member.delegation)
    url = f"{MY_DEMANDS}/{demand.pk}/answers" if answers else MY_DEMANDS

    def add():
        if answers:
            DemandAnswerFactory(demand=demand)
        else:
            TalentDemandFactory(delegation=member.delegation)

    add()
    headers = bearer(member.user, "recruitment:read")
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as one:
        assert len(ids(client.get(url, **headers))) == 1 + (not answers)
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get(url, **headers))) == 5 + (not answers)
    assert len(many) == len(one)


@pytest.mark.parametrize("which", ["applications", "postings", "received"])
def test_my_recruitment_lists_queries_do_not_grow_with_rows(client, employer, which):
    posting, admin = employer
    talent = TalentProfileFactory()
    urls = {
        "applications": (MY_APPLICATIONS, talent.user),
        "postings": (MY_POSTINGS, admin),
        "received": (f"{MY_POSTINGS}/{posting.pk}/applications", admin),
    }
    url, user = urls[which]

    def add():
        if which == "applications":
            ApplicationFactory(talent=talent)
        elif which == "postings":
            JobPostingFactory(organisation=posting.organisation, languages=["en", "zh"])
        else:
            ApplicationFactory(posting=posting)

    add()
    assert_queries_flat(client, url, user, add, scope="recruitment:read")
