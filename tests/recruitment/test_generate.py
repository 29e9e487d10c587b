import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciep.models import Edition, User
from ciep.report import edition_report
from recruitment.figures import edition_figures
from recruitment.models import (
    Application,
    ApplicationEvent,
    JobLanguage,
    JobPosting,
    TalentDemand,
    TalentProfile,
)
from recruitment.services import TRANSITIONS
from recruitment.synthetic.edition import _shares

pytestmark = pytest.mark.django_db

SIZES = {
    "organisations": 30,
    "countries": 7,
    "experts": 12,
    "representatives": 9,
    "visitors": 80,
    "delegations": 5,
    "booths": 0,
    "exhibition_area": 0,
    "events": 0,
    "registrations": 0,
    "jobs": 12,
    "applications": 12,
    "projects": 0,
    "intentions": 0,
    "agreements": 0,
}


def run(number=45, **overrides):
    out = io.StringIO()
    call_command(
        "generate_edition", str(number), "--seed", "3", stdout=out, **{**SIZES, **overrides}
    )
    return out.getvalue()


def snapshot(number=45):
    edition = Edition.objects.get(number=number)
    return {
        "postings": sorted(
            JobPosting.objects.filter(edition=edition).values_list(
                "title_en", "title_zh", "status", "deadline", "organisation__name_en"
            )
        ),
        "applications": sorted(
            Application.objects.filter(posting__edition=edition).values_list(
                "talent__user__email", "posting__title_en", "state", "state_changed_at"
            )
        ),
        "events": ApplicationEvent.objects.filter(application__posting__edition=edition).count(),
        "languages": JobLanguage.objects.filter(posting__edition=edition).count(),
        "demands": sorted(
            TalentDemand.objects.for_edition(edition).values_list("title_en", "title_zh")
        ),
        "talents": TalentProfile.objects.count(),
        "users": User.objects.count(),
    }


def test_generated_recruitment_figures_equal_what_was_asked():
    run()
    edition = Edition.objects.get(number=45)
    report = edition_report(edition)
    assert (report["job_postings"], report["applications"]) == (12, 12)
    figures = edition_figures(edition)
    assert figures["job_postings"] == 12
    assert figures["applications"] == 12
    assert sum(figures["applications_by_state"].values()) == 12
    assert sum(figures["job_postings_by_field"].values()) == 12


def test_generated_recruitment_figures_exact_at_uneven_sizes():
    run(jobs=45, applications=101)
    figures = edition_figures(Edition.objects.get(number=45))
    assert (figures["job_postings"], figures["applications"]) == (45, 101)
    # Drafts and hidden postings exist but are not counted.
    assert JobPosting.objects.filter(edition__number=45).count() == 45 + 2 + 0


def test_generated_applications_have_a_legal_history():
    run(jobs=20, applications=60)
    applications = Application.objects.filter(posting__edition__number=45).prefetch_related(
        "events"
    )
    assert len(applications) == 60
    for application in applications:
        events = list(application.events.all())
        assert events[0].from_state == ""
        assert events[0].to_state == Application.State.SUBMITTED
        for event in events[1:]:
            assert event.to_state in TRANSITIONS[event.from_state]
        assert events[-1].to_state == application.state
        assert application.created_at == events[0].created_at
        assert application.created_at.date() <= application.posting.deadline
        assert application.posting.status != JobPosting.Status.DRAFT
        assert application.posting.hidden_at is None


def test_generated_talents_have_unusable_passwords():
    run()
    talents = User.objects.filter(email__startswith="talent-45-")
    assert talents.count() == TalentProfile.objects.count() == 6
    assert not any(user.has_usable_password() for user in talents)


@pytest.mark.parametrize(("applications", "jobs"), [(1, 1), (7, 1), (12, 12), (101, 3), (50, 80)])
def test_application_shares_add_up_within_the_postings(applications, jobs):
    shares = _shares(random.Random(5), applications, jobs)
    assert sum(shares) == applications
    assert min(shares) >= 1
    assert max(shares) <= min(jobs, 5)


def test_list_pages_queries_do_not_grow_with_generated_data(client):
    counts = []
    # One page with a couple of rows, then several full pages.
    for jobs, applications, at_least in ((3, 3, 1), (60, 150, 21)):
        run(jobs=jobs, applications=applications)
        assert JobPosting.objects.public().count() >= at_least
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/jobs/").status_code == 200
            assert client.get("/jobs/demands/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_generation_is_deterministic_and_replaces_recruitment():
    run()
    first = snapshot()
    run()
    assert snapshot() == first


def test_generation_keeps_other_editions_talents():
    run(number=44)
    run()
    run()
    assert User.objects.filter(email__startswith="talent-44-").count() == 6
    assert Application.objects.filter(posting__edition__number=44).count() == 12


def test_generation_without_recruitment_creates_nothing():
    run(jobs=0, applications=0)
    assert not JobPosting.objects.exists()
    assert not TalentProfile.objects.exists()


def test_generation_refuses_applications_without_postings():
    with pytest.raises(CommandError, match="Applications need job postings"):
        run(jobs=0, applications=5)
    assert not Edition.objects.filter(number=45).exists()
    assert not User.objects.exists()
