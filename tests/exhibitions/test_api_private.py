import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ciep.models import AccessToken
from tests.exhibitions.factories import MeetingFactory, SlotFactory, exhibitor_with_staff
from tests.factories import UserFactory, bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/exhibitions/me/meetings"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_exhibitor_staff_and_requester_read_their_meetings(client):
    exhibitor, staff = exhibitor_with_staff()
    asked = MeetingFactory(slot=SlotFactory(exhibitor=exhibitor))
    MeetingFactory()
    assert ids(client.get(URL, **bearer(staff, "exhibitions:read"))) == [asked.pk]
    response = client.get(URL, **bearer(asked.requester, "exhibitions:read"))
    assert ids(response) == [asked.pk]
    assert response.json()["results"][0]["requested_by_me"] is True
    assert response.json()["results"][0]["exhibitor"] == exhibitor.pk


def test_someone_else_sees_none(client):
    MeetingFactory()
    assert ids(client.get(URL, **bearer(UserFactory(), "exhibitions:read"))) == []


def test_missing_scope_is_403(client):
    assert client.get(URL, **bearer(UserFactory(), "projects:read")).status_code == 403


def test_revoked_expired_or_no_token_is_401(client):
    user = UserFactory()
    assert client.get(URL).status_code == 401
    revoked = bearer(user, "exhibitions:read")
    AccessToken.objects.update(revoked_at=timezone.now())
    assert client.get(URL, **revoked).status_code == 401
    expired = bearer(
        user, "exhibitions:read", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    AccessToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    assert client.get(URL, **expired).status_code == 401


def test_exhibitor_staff_read_their_leads_with_the_recorded_outcome(client):
    exhibitor, staff = exhibitor_with_staff()
    followed = MeetingFactory(
        slot=SlotFactory(exhibitor=exhibitor), state="accepted", outcome="follow_up"
    )
    MeetingFactory(slot=SlotFactory(exhibitor=exhibitor), state="accepted", outcome="no_show")
    headers = bearer(staff, "exhibitions:read")
    response = client.get(f"{URL}?outcome=follow_up&exhibitor={exhibitor.pk}", **headers)
    assert ids(response) == [followed.pk]
    row = response.json()["results"][0]
    assert (row["requester_email"], row["languages"], row["outcome"], row["mode"]) == (
        followed.requester.email,
        "English",
        "follow_up",
        "online",
    )
    assert row["requested_by_me"] is False
    wrong = client.get(f"{URL}?outcome=sold", **headers)
    assert wrong.status_code == 400
    assert [error["loc"] for error in wrong.json()["detail"]] == [["query", "outcome"]]


def test_my_meetings_queries_do_not_grow_with_rows(client):
    exhibitor, staff = exhibitor_with_staff()
    MeetingFactory(slot=SlotFactory(exhibitor=exhibitor))
    headers = bearer(staff, "exhibitions:read")
    client.get(URL, **headers)
    with CaptureQueriesContext(connection) as one:
        assert len(ids(client.get(URL, **headers))) == 1
    for _ in range(4):
        MeetingFactory(slot=SlotFactory(exhibitor=exhibitor))
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get(URL, **headers))) == 5
    assert len(many) == len(one)
