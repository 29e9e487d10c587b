"""The JSON API's common behaviour and the conference core's resources."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    DelegationFactory,
    EditionFactory,
    FieldFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_openapi_description_lists_every_area(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/editions",
        "/api/v1/organisations",
        "/api/v1/delegations",
        "/api/v1/exhibitions/exhibitors",
        "/api/v1/recruitment/postings",
        "/api/v1/projects/projects",
        "/api/v1/forums/sessions",
    ):
        assert path in paths


def test_docs_page_uses_only_portal_files_under_the_policy(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui-init.js" in html
    assert "cdn" not in html.lower()
    # Every executable script is a file of the portal: the policy's script-src 'self' holds.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert html.count("<script") == 3
    assert html.count('<script type="application/json"') == 1


def test_docs_page_answers_without_a_language_redirect(client):
    response = client.get(
        "/api/v1/docs", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"
    )
    assert response.status_code == 200


def test_editions_list_in_both_languages(client):
    edition = EditionFactory(number=21, title_en="The 21st CIEP", title_zh="第二十一届大会")
    response = client.get("/api/v1/editions")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == edition.pk
    assert row["number"] == 21
    assert row["title"] == {"en": "The 21st CIEP", "zh": "第二十一届大会"}
    assert "第二十一届大会" in response.content.decode()  # not \uXXXX-escaped
    assert response.json()["next"] is None


def test_edition_detail_carries_the_report(client):
    edition = EditionFactory()
    OrganisationFactory()
    DelegationFactory(edition=edition)
    response = client.get(f"/api/v1/editions/{edition.number}")
    assert response.status_code == 200
    assert response.json()["report"]["delegations"] == 1
    assert client.get("/api/v1/editions/999").status_code == 404


def test_unverified_organisations_are_absent(client):
    verified = OrganisationFactory()
    hidden = OrganisationFactory(unverified=True)
    assert ids(client.get("/api/v1/organisations")) == [verified.pk]
    assert client.get(f"/api/v1/organisations/{hidden.pk}").status_code == 404
    assert client.get(f"/api/v1/organisations/{verified.pk}").json()["name"] == {
        "en": verified.name_en,
        "zh": verified.name_zh,
    }


def test_organisation_filters(client):
    field = FieldFactory()
    german = OrganisationFactory(country="DE", name_en="Berlin Robotics")
    german.fields.add(field)
    OrganisationFactory(country="CN")
    assert ids(client.get("/api/v1/organisations?country=de")) == [german.pk]
    assert ids(client.get(f"/api/v1/organisations?field={field.slug}")) == [german.pk]
    assert ids(client.get("/api/v1/organisations?q=robotics")) == [german.pk]


def test_delegation_lists_only_verified_organisations(client):
    delegation = DelegationFactory()
    shown = OrganisationFactory()
    delegation.organisations.add(shown, OrganisationFactory(unverified=True))
    other = DelegationFactory()
    response = client.get(f"/api/v1/delegations?edition={delegation.edition.number}")
    [row] = response.json()["results"]
    assert row["id"] == delegation.pk
    assert row["organisations"] == [shown.pk]
    assert ids(client.get("/api/v1/delegations")) == [delegation.pk, other.pk]


def test_cursor_pagination_walks_every_row_once(client):
    organisations = [OrganisationFactory() for _ in range(5)]
    seen, url = [], "/api/v1/organisations?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == [organisation.pk for organisation in organisations]


def test_page_size_is_capped(client):
    for _ in range(3):
        FieldFactory()
    response = client.get("/api/v1/fields?page_size=100000")
    assert len(response.json()["results"]) == 3
    response = client.get("/api/v1/fields?page_size=0")
    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            {
                "type": "value_error",
                "loc": ["query", "page_size"],
                "msg": "page_size must be at least 1.",
            }
        ]
    }


def test_unreadable_cursor_is_a_400_naming_the_field(client):
    response = client.get("/api/v1/fields?cursor=not-a-cursor")
    assert response.status_code == 400
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "cursor"]]


def test_get_carries_etag_and_answers_304(client):
    OrganisationFactory()
    response = client.get("/api/v1/organisations")
    assert response["Cache-Control"] == "public, max-age=60"
    etag = response["ETag"]
    again = client.get("/api/v1/organisations", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    OrganisationFactory()
    changed = client.get("/api/v1/organisations", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


def test_anonymous_rate_limit_answers_429_in_json(client, settings):
    settings.RATE_LIMITS = {"api:anonymous": "3/m/ip"}
    statuses = [client.get("/api/v1/fields").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/fields")
    assert response.json() == {"detail": "Too many requests: slow down and try again later."}
    assert int(response["Retry-After"]) >= 1


@pytest.mark.parametrize(
    "url", ["/api/v1/organisations", "/api/v1/delegations", "/api/v1/editions"]
)
def test_list_queries_do_not_grow_with_the_page(client, url):
    def make(count):
        for _ in range(count):
            organisation = OrganisationFactory()
            organisation.fields.add(FieldFactory())
            DelegationFactory().organisations.add(organisation)

    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    make(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)
