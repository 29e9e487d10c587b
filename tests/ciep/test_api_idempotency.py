"""Writes of the JSON API under an Idempotency-Key run once per key and token; bad input is a
400 naming the field."""

import datetime

import pytest
from django.utils import timezone

from ciep import api_idempotency
from ciep.models import IdempotencyKey
from recruitment.models import Application, ApplicationEvent
from tests.factories import MembershipFactory, bearer
from tests.recruitment.factories import ApplicationFactory, JobPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def move():
    """The URL of an application's move, and the headers of a token of its employer."""
    posting = JobPostingFactory()
    admin = MembershipFactory(organisation=posting.organisation, role="admin").user
    application = ApplicationFactory(posting=posting)
    url = f"/api/v1/recruitment/me/postings/{posting.pk}/applications/{application.pk}/state"
    return url, application, admin


def post(client, url, state, headers, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, {"state": state}, content_type="application/json", **headers, **extra)


def test_same_key_and_body_replays_the_first_answer_without_running_twice(client, move):
    url, application, admin = move
    headers = bearer(admin, "recruitment:write")
    first = post(client, url, "shortlisted", headers, key="3f2b6c1e-move-1")
    assert first.status_code == 200, first.content
    assert "Idempotent-Replayed" not in first
    again = post(client, url, "shortlisted", headers, key="3f2b6c1e-move-1")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert ApplicationEvent.objects.filter(application=application).count() == 1
    application.refresh_from_db()
    assert application.state == Application.State.SHORTLISTED


def test_without_a_key_a_repeat_runs_again(client, move):
    url, _application, admin = move
    headers = bearer(admin, "recruitment:write")
    assert post(client, url, "shortlisted", headers).status_code == 200
    # shortlisted -> shortlisted is no transition: the repeat ran and was refused.
    assert post(client, url, "shortlisted", headers).status_code == 400
    assert IdempotencyKey.objects.count() == 0


def test_same_key_with_another_body_is_a_422_naming_the_header(client, move):
    url, application, admin = move
    headers = bearer(admin, "recruitment:write")
    assert post(client, url, "shortlisted", headers, key="k-1").status_code == 200
    response = post(client, url, "rejected", headers, key="k-1")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    application.refresh_from_db()
    assert application.state == Application.State.SHORTLISTED


def test_keys_belong_to_their_token(client, move):
    url, application, admin = move
    first, second = bearer(admin, "recruitment:write"), bearer(admin, "recruitment:write")
    assert post(client, url, "shortlisted", first, key="shared").status_code == 200
    # The other token's same key is a new request: it runs (and moves the application on).
    response = post(client, url, "interview", second, key="shared")
    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response
    assert IdempotencyKey.objects.count() == 2
    application.refresh_from_db()
    assert application.state == Application.State.INTERVIEW


def test_a_refused_write_is_replayed_as_refused(client, move):
    url, _application, admin = move
    headers = bearer(admin, "recruitment:write")
    first = post(client, url, "withdrawn", headers, key="refused")
    assert first.status_code == 400
    again = post(client, url, "withdrawn", headers, key="refused")
    assert (again.status_code, again["Idempotent-Replayed"]) == (400, "true")


def test_an_old_key_is_new_again(client, move):
    url, _application, admin = move
    headers = bearer(admin, "recruitment:write")
    assert post(client, url, "shortlisted", headers, key="old").status_code == 200
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    response = post(client, url, "interview", headers, key="old")
    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response
    assert api_idempotency.idempotency_keys_purge() == 0
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert api_idempotency.idempotency_keys_purge() == 1


@pytest.mark.parametrize("key", ["", "with space", "é", "x" * 256])
def test_unreadable_key_is_a_400(client, move, key):
    url, application, admin = move
    response = post(client, url, "shortlisted", bearer(admin, "recruitment:write"), key=key)
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


def test_a_key_without_a_token_is_still_a_401(client, move):
    url, _application, _admin = move
    assert post(client, url, "shortlisted", {}, key="k").status_code == 401
    assert IdempotencyKey.objects.count() == 0


def test_another_employers_application_is_a_404_and_replayed_so(client, move):
    url, _application, _admin = move
    stranger = MembershipFactory(role="admin").user
    headers = bearer(stranger, "recruitment:write")
    assert post(client, url, "shortlisted", headers, key="s").status_code == 404
    assert post(client, url, "shortlisted", headers, key="s").status_code == 404


def test_bad_state_is_a_400_naming_the_field(client, move):
    url, _application, admin = move
    response = post(client, url, "nonsense", bearer(admin, "recruitment:write"))
    assert response.status_code == 400
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "data", "state"]]


@pytest.mark.parametrize(
    "url, loc",
    [
        ("/api/v1/fields?page_size=many", ["query", "page_size"]),
        ("/api/v1/editions/first", ["path", "number"]),
        ("/api/v1/recruitment/postings?edition=x", ["query", "edition"]),
    ],
)
def test_bad_query_or_path_is_a_400_naming_the_field(client, url, loc):
    response = client.get(url)
    assert response.status_code == 400
    assert [error["loc"] for error in response.json()["detail"]] == [loc]


def test_unreadable_json_body_is_a_400(client, move):
    url, _application, admin = move
    response = client.post(
        url, "{state:", content_type="application/json", **bearer(admin, "recruitment:write")
    )
    assert response.status_code == 400
