"""The organisers' export of registrations through the API: an organiser's token of the
exports:read scope only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciep.services import ValidationError, token_create
from tests.api_checks import assert_denials
from tests.factories import UserFactory, bearer
from tests.forums.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/forums/exports/registrations"


def test_organisers_token_reads_every_registration(client, organiser):
    session = SessionFactory()
    first, second = RegistrationFactory(session=session), RegistrationFactory()
    response = client.get(URL, **bearer(organiser, "exports:read"))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert rows[0]["user_email"] == first.user.email
    assert rows[0]["session_title"] == {"en": session.title_en, "zh": session.title_zh}
    assert response["Cache-Control"] == "private, no-cache"
    filtered = client.get(f"{URL}?session={session.pk}", **bearer(organiser, "exports:read"))
    assert [row["id"] for row in filtered.json()["results"]] == [first.pk]


def test_export_queries_do_not_grow_with_rows(client, organiser):
    headers = bearer(organiser, "exports:read")
    RegistrationFactory()
    client.get(URL, **headers)  # the token's first use records itself
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL, **headers).status_code == 200
    for _ in range(5):
        RegistrationFactory()
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL, **headers).json()["results"]) == 6
    assert len(many) == len(one)


def test_only_organisers_may_hold_the_exports_scope():
    with pytest.raises(ValidationError):
        token_create(user=UserFactory(), name="CRM", scopes=["exports:read"])


def test_denied_exports(client, organiser):
    RegistrationFactory()
    assert client.get(URL).status_code == 401
    assert client.get(URL, **bearer(organiser, "forums:read")).status_code == 403
    headers = bearer(organiser, "exports:read")
    organiser.groups.clear()
    organiser.is_staff = False
    organiser.save()
    response = client.get(URL, **headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only organisers' tokens read the exports."}


def test_registration_export_refuses_every_other_token(client, organiser):
    RegistrationFactory()
    assert_denials(client, URL, organiser, other_scope="forums:read")
