import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Project
from tests.factories import FieldFactory
from tests.projects.factories import DemandFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_only_published_visible_projects_are_listed(client):
    public = ProjectFactory()
    draft = ProjectFactory(state=Project.State.DRAFT)
    hidden = ProjectFactory(hidden_at=timezone.now(), hidden_reason="Spam.")
    assert ids(client.get("/api/v1/projects/projects")) == [public.pk]
    for project in (draft, hidden):
        assert client.get(f"/api/v1/projects/projects/{project.pk}").status_code == 404
    data = client.get(f"/api/v1/projects/projects/{public.pk}").json()
    assert data["summary"] == {"en": "A technology to transfer.", "zh": "一项待转移的技术。"}
    assert data["cooperation_types"] == ["technology_transfer"]
    assert "contact_email" not in data
    assert "contact@example.org" not in str(data)


def test_demands_and_filters(client):
    field = FieldFactory()
    offer = ProjectFactory(fields=[field], title_en="Battery recycling")
    demand = DemandFactory()
    assert ids(client.get("/api/v1/projects/demands")) == [demand.pk]
    assert ids(client.get(f"/api/v1/projects/projects?field={field.slug}")) == [offer.pk]
    assert ids(client.get("/api/v1/projects/projects?q=battery")) == [offer.pk]
    assert ids(client.get("/api/v1/projects/projects?kind=request")) == [demand.pk]


def test_list_queries_do_not_grow_with_the_page(client):
    ProjectFactory(fields=[FieldFactory()])
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/projects/projects").status_code == 200
    for _ in range(5):
        ProjectFactory(fields=[FieldFactory()])
        DemandFactory()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/projects/projects").status_code == 200
    assert len(many) == len(one)
