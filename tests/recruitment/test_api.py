import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment.models import JobPosting, TalentDemand
from tests.factories import FieldFactory, OrganisationFactory
from tests.recruitment.factories import JobPostingFactory, TalentDemandFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_only_public_postings_are_listed(client):
    public = JobPostingFactory(languages=["en"])
    draft = JobPostingFactory(draft=True)
    expired = JobPostingFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    hidden = JobPostingFactory(hidden_at=timezone.now())
    unverified = JobPostingFactory(organisation=OrganisationFactory(unverified=True))
    assert ids(client.get("/api/v1/recruitment/postings")) == [public.pk]
    for posting in (draft, expired, hidden, unverified):
        assert client.get(f"/api/v1/recruitment/postings/{posting.pk}").status_code == 404
    data = client.get(f"/api/v1/recruitment/postings/{public.pk}").json()
    assert data["title"] == {"en": public.title_en, "zh": public.title_zh}
    assert data["languages"] == ["en"]
    assert "posted_by" not in data


def test_posting_filters(client):
    field = FieldFactory()
    robotics = JobPostingFactory(field=field, title_en="Robotics lead")
    german = JobPostingFactory(organisation=OrganisationFactory(country="DE"))
    assert ids(client.get(f"/api/v1/recruitment/postings?field={field.slug}")) == [robotics.pk]
    assert ids(client.get("/api/v1/recruitment/postings?q=robotics")) == [robotics.pk]
    assert ids(client.get("/api/v1/recruitment/postings?country=de")) == [german.pk]
    assert ids(client.get(f"/api/v1/recruitment/postings?type={JobPosting.Type.INTERNSHIP}")) == []


def test_only_open_demands_are_listed(client):
    open_demand = TalentDemandFactory()
    closed = TalentDemandFactory(status=TalentDemand.Status.CLOSED)
    assert ids(client.get("/api/v1/recruitment/demands")) == [open_demand.pk]
    assert client.get(f"/api/v1/recruitment/demands/{closed.pk}").status_code == 404
    data = client.get(f"/api/v1/recruitment/demands/{open_demand.pk}").json()
    assert data["delegation"] == open_demand.delegation_id
    assert data["title"] == {"en": open_demand.title_en, "zh": open_demand.title_zh}


@pytest.mark.parametrize("resource", ["postings", "demands"])
def test_list_queries_do_not_grow_with_the_page(client, resource):
    def make(count):
        for _ in range(count):
            JobPostingFactory(languages=["en", "zh"])
            TalentDemandFactory()

    make(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/api/v1/recruitment/{resource}").status_code == 200
    make(5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/api/v1/recruitment/{resource}").status_code == 200
    assert len(many) == len(one)
