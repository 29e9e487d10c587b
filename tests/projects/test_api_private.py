import datetime

import pytest
from django.utils import timezone

from ciep.models import AccessToken
from projects.models import Project
from tests.api_checks import assert_queries_flat
from tests.factories import DelegationMemberFactory, FieldFactory, UserFactory, bearer
from tests.projects.factories import DemandFactory, IntentionFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def urls(delegation):
    base = f"/api/v1/projects/me/delegations/{delegation.pk}"
    return f"{base}/intentions", f"{base}/demands"


@pytest.fixture
def member():
    return DelegationMemberFactory()


def test_member_reads_the_delegations_intentions_and_demands(client, member):
    delegation = member.delegation
    intention = IntentionFactory(delegation=delegation, edition=delegation.edition)
    IntentionFactory()
    draft = DemandFactory(delegation=delegation, state=Project.State.DRAFT)
    DemandFactory()
    headers = bearer(member.user, "projects:read")
    intentions, demands = urls(delegation)
    response = client.get(intentions, **headers)
    assert ids(response) == [intention.pk]
    assert response.json()["results"][0]["description"] == {
        "en": "Joint laboratory.",
        "zh": "共建实验室。",
    }
    response = client.get(demands, **headers)
    assert ids(response) == [draft.pk]
    assert response.json()["results"][0]["state"] == "draft"


def test_someone_elses_delegation_is_404(client, member):
    headers = bearer(UserFactory(), "projects:read")
    for url in urls(member.delegation):
        assert client.get(url, **headers).status_code == 404


def test_missing_scope_is_403(client, member):
    headers = bearer(member.user, "recruitment:read")
    for url in urls(member.delegation):
        assert client.get(url, **headers).status_code == 403


def test_revoked_expired_or_no_token_is_401(client, member):
    revoked = bearer(member.user, "projects:read")
    AccessToken.objects.update(revoked_at=timezone.now())
    expired = bearer(
        member.user, "projects:read", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    AccessToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    for url in urls(member.delegation):
        assert client.get(url).status_code == 401
        assert client.get(url, **revoked).status_code == 401
        assert client.get(url, **expired).status_code == 401


@pytest.mark.parametrize("which", ["intentions", "demands"])
def test_delegation_lists_queries_do_not_grow_with_rows(client, member, which):
    delegation = member.delegation
    intentions, demands = urls(delegation)

    def add():
        if which == "intentions":
            IntentionFactory(
                delegation=delegation, edition=delegation.edition, fields=[FieldFactory()]
            )
        else:
            DemandFactory(delegation=delegation)

    add()
    url = intentions if which == "intentions" else demands
    assert_queries_flat(client, url, member.user, add, scope="projects:read")
