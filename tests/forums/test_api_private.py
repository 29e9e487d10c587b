import datetime

import pytest
from django.utils import timezone

from ciep.models import AccessToken
from tests.api_checks import assert_queries_flat
from tests.factories import UserFactory, bearer
from tests.forums.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/forums/me/registrations"


def test_person_reads_own_registrations(client):
    mine = RegistrationFactory()
    RegistrationFactory()
    response = client.get(URL, **bearer(mine.user, "forums:read"))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    row = response.json()["results"][0]
    assert row["session"] == mine.session_id
    assert row["title"] == {"en": mine.session.title_en, "zh": mine.session.title_zh}
    assert "code" not in row


def test_someone_else_sees_none(client):
    RegistrationFactory()
    response = client.get(URL, **bearer(UserFactory(), "forums:read"))
    assert response.json()["results"] == []


def test_missing_scope_is_403(client):
    assert client.get(URL, **bearer(UserFactory(), "projects:read")).status_code == 403


def test_revoked_expired_or_no_token_is_401(client):
    user = UserFactory()
    assert client.get(URL).status_code == 401
    revoked = bearer(user, "forums:read")
    AccessToken.objects.update(revoked_at=timezone.now())
    assert client.get(URL, **revoked).status_code == 401
    expired = bearer(user, "forums:read", expires_at=timezone.now() + datetime.timedelta(hours=1))
    AccessToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    assert client.get(URL, **expired).status_code == 401


def test_my_registrations_queries_do_not_grow_with_rows(client):
    user = RegistrationFactory().user
    assert_queries_flat(
        client, URL, user, lambda: RegistrationFactory(user=user), scope="forums:read"
    )
