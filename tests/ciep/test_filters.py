"""One convention for fields in query strings (``?field=<slug>``, old ids still read) and one
answer to a filter value that names nothing (no rows, and the form says so), on every list."""

import pytest

from tests.factories import FieldFactory
from tests.forums.factories import SessionFactory
from tests.projects.factories import ProjectFactory
from tests.recruitment.factories import JobPostingFactory, TalentDemandFactory

pytestmark = pytest.mark.django_db


def test_job_list_reads_field_slug_and_old_id(client, edition):
    field = FieldFactory(slug="fintech")
    posting = JobPostingFactory(field=field)
    JobPostingFactory()
    for value in ("fintech", str(field.pk)):
        response = client.get("/jobs/", {"field": value})
        assert [p.pk for p in response.context["postings"]] == [posting.pk], value
    assert '<option value="fintech">' in client.get("/jobs/").content.decode()


@pytest.mark.parametrize("value", ["no-such-field", "987654", "-1", "1e9", "%00"])
def test_job_list_unknown_field_shows_no_job(client, edition, value):
    JobPostingFactory()
    response = client.get("/jobs/", {"field": value})
    assert response.status_code == 200
    assert list(response.context["postings"]) == []
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "No job matches these filters." in page


def test_demand_list_reads_field_slug_and_old_id(client, edition):
    field = FieldFactory(slug="ai")
    demand = TalentDemandFactory(field=field)
    TalentDemandFactory()
    for value in ("ai", str(field.pk)):
        response = client.get("/jobs/demands/", {"field": value})
        assert [d.pk for d in response.context["page_obj"]] == [demand.pk], value
    response = client.get("/jobs/demands/", {"field": "nothing"})
    assert list(response.context["page_obj"]) == []


def test_project_list_reads_old_field_id(client, edition):
    field = FieldFactory(slug="biomedicine")
    project = ProjectFactory(edition=edition)
    project.fields.add(field)
    ProjectFactory(edition=edition)
    for value in ("biomedicine", str(field.pk)):
        response = client.get("/projects/", {"field": value})
        assert [p.pk for p in response.context["page_obj"]] == [project.pk], value
    response = client.get("/projects/", {"field": "nothing"})
    assert list(response.context["page_obj"]) == []


def test_programme_reads_field_slug_and_rejects_unknown(client, edition):
    field = FieldFactory(slug="5g")
    session = SessionFactory(edition=edition, title_en="Open radio networks")
    session.fields.add(field)
    other = SessionFactory(edition=edition, title_en="Clinical trials")
    body = client.get("/forum/", {"field": "5g"}).content.decode()
    assert session.title_en in body
    assert other.title_en not in body
    body = client.get("/forum/", {"field": str(field.pk)}).content.decode()
    assert session.title_en in body
    assert other.title_en not in body
    response = client.get("/forum/", {"field": "no-such-field"})
    assert response.status_code == 200
    assert session.title_en not in response.content.decode()
