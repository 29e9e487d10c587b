"""The organisers' export of an edition's report through the API: the rows of the report's
CSV, each label in both languages, for an organiser's token of the exports:read scope."""

import pytest
from django.utils import translation

from ciep import report
from tests.api_checks import EXPORTS, assert_denials
from tests.factories import DelegationFactory, EditionFactory, bearer

pytestmark = pytest.mark.django_db


def url_of(edition) -> str:
    return f"/api/v1/exports/report/{edition.number}"


def test_organisers_token_reads_the_report_as_its_csv_in_both_languages(client, organiser):
    edition = EditionFactory()
    DelegationFactory(edition=edition, kind="province")
    response = client.get(url_of(edition), **bearer(organiser, EXPORTS))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["edition"] == edition.number
    figures = report.edition_report(edition)
    for code, language in (("en", "en"), ("zh", "zh-hans")):
        with translation.override(language):
            expected = [[str(cell) for cell in row] for row in report.csv_rows(figures)]
        assert [
            [row["label"][code], row["item_label"][code], str(row["value"])] for row in body["rows"]
        ] == expected
    kinds = [row for row in body["rows"] if row["figure"] == "delegations_by_kind"]
    assert [(row["item"], row["value"]) for row in kinds] == [("province", 1)]
    assert kinds[0]["label"]["zh"] != kinds[0]["label"]["en"]


def test_report_export_of_an_unknown_edition_is_a_404(client, organiser):
    response = client.get("/api/v1/exports/report/999", **bearer(organiser, EXPORTS))
    assert response.status_code == 404


def test_report_export_refuses_everyone_else(client, organiser):
    assert_denials(client, url_of(EditionFactory()), organiser, other_scope="forums:read")
