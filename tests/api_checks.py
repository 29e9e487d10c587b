"""What the API's lists must do, checked by each area's tests on its own: an organisers'
export answers an organiser's token of the exports:read scope, while no token, or a revoked or
expired one, is a 401, and a token without the scope, or whose owner is no organiser (any
more), a 403 (``assert_denials``); and any list's page costs the same queries with one row as
with many (``assert_queries_flat``)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ciep.models import AccessToken
from ciep.services import token_create, token_hash, token_revoke
from tests.factories import UserFactory, bearer

EXPORTS = "exports:read"


def assert_denials(client, url: str, organiser, *, other_scope: str) -> None:
    """Every refusal of ``url``, each with the status and JSON body the API gives."""
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer ciep_unknown").status_code == 401

    wrong_scope = client.get(url, **bearer(organiser, other_scope))
    assert wrong_scope.status_code == 403
    assert wrong_scope.json() == {"detail": f"This token does not have the scope {EXPORTS}."}

    token, raw = token_create(user=organiser, name="Revoked", scopes=[EXPORTS])
    token_revoke(token=token, by=organiser)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401

    expired, raw = token_create(user=organiser, name="Expired", scopes=[EXPORTS])
    AccessToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401

    # A non-organiser cannot be given the scope (token_create refuses); a token that carries
    # it all the same, or whose owner left the organisers, reads nothing.
    raw = "ciep_not-an-organisers-token"
    AccessToken.objects.create(
        user=UserFactory(),
        name="Not an organiser",
        prefix=raw[:11],
        token_hash=token_hash(raw),
        scopes=[EXPORTS],
    )
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only organisers' tokens read the exports."}

    former = UserFactory(organiser=True)
    headers = bearer(former, EXPORTS)
    former.groups.clear()
    former.is_staff = False
    former.save()
    assert client.get(url, **headers).status_code == 403


def assert_queries_flat(
    client, url: str, user, add_row, *, scope: str = EXPORTS, more: int = 4
) -> None:
    """A page read with a token of ``user`` and ``scope`` costs the same queries before and
    after ``more`` rows are added; ``add_row`` makes one more row of the list (the page must
    already hold one)."""
    headers = bearer(user, scope)
    client.get(url, **headers)  # the token's first use records itself
    with CaptureQueriesContext(connection) as one:
        first = client.get(url, **headers)
    assert first.status_code == 200, first.content
    rows = len(first.json()["results"])
    for _ in range(more):
        add_row()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, **headers)
    assert len(response.json()["results"]) == rows + more
    assert len(many) == len(one), [query["sql"] for query in many.captured_queries]
