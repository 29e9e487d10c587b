"""The organisers' export of cooperation intentions through the API, for an organiser's token
of the exports:read scope."""

import datetime

import pytest

from tests.api_checks import EXPORTS, assert_denials, assert_queries_flat
from tests.factories import FieldFactory, bearer

from .factories import IntentionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/exports/intentions"


def test_organisers_token_reads_every_intention(client, organiser):
    field = FieldFactory()
    intention = IntentionFactory(
        fields=[field], counterpart_team="Battery lab", signed_place_zh="深圳"
    )
    other = IntentionFactory(state="signed", signed_on=datetime.date(2022, 11, 20))
    response = client.get(URL, **bearer(organiser, EXPORTS))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [intention.pk, other.pk]
    row = rows[0]
    assert row["edition"] == intention.edition.number
    assert row["delegation"] == intention.delegation_id
    assert row["counterpart_organisation"] == intention.counterpart_organisation_id
    assert row["counterpart_team"] == "Battery lab"
    assert row["counterpart_name"] == intention.counterpart_name
    assert row["description"] == {"en": "Joint laboratory.", "zh": "共建实验室。"}
    assert row["signed_place"] == {"en": "", "zh": "深圳"}
    assert row["fields"] == [field.pk]
    headers = bearer(organiser, EXPORTS)
    by_delegation = client.get(f"{URL}?delegation={other.delegation_id}", **headers)
    assert [row["id"] for row in by_delegation.json()["results"]] == [other.pk]
    by_state = client.get(f"{URL}?state=signed", **headers)
    assert [row["id"] for row in by_state.json()["results"]] == [other.pk]


def test_intention_export_refuses_everyone_else(client, organiser):
    IntentionFactory()
    assert_denials(client, URL, organiser, other_scope="projects:read")


def test_intention_export_queries_do_not_grow_with_rows(client, organiser):
    def with_field():
        IntentionFactory(fields=[FieldFactory()])

    with_field()
    assert_queries_flat(client, URL, organiser, with_field)
