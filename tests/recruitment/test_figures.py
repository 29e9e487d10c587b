import pytest
from django.utils import translation

from ciep.report import csv_rows
from recruitment.figures import edition_figures
from recruitment.selectors import participating_organisation_ids
from tests.factories import DelegationFactory, EditionFactory, FieldFactory, OrganisationFactory

from .factories import (
    ApplicationFactory,
    DemandAnswerFactory,
    JobPostingFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

pytestmark = pytest.mark.django_db


def test_edition_figures_on_hand_built_data(edition):
    other = EditionFactory()
    fields = FieldFactory(name_en="5G"), FieldFactory(name_en="Biomedicine")
    employer, second = OrganisationFactory(), OrganisationFactory()
    published = JobPostingFactory(edition=edition, field=fields[0], organisation=employer)
    closed = JobPostingFactory(edition=edition, field=fields[0], status="closed")
    JobPostingFactory(edition=edition, field=fields[1], status="expired")
    JobPostingFactory(edition=edition, field=fields[1], draft=True, organisation=second)
    JobPostingFactory(edition=edition, field=fields[1], hidden_at="2024-01-01T00:00Z")
    JobPostingFactory(edition=other, field=fields[1], organisation=second)
    russian = TalentProfileFactory(nationality="RU")
    chinese = TalentProfileFactory(nationality="CN")
    german = TalentProfileFactory(nationality="DE")
    ApplicationFactory(posting=published, talent=russian, state="hired")
    ApplicationFactory(posting=closed, talent=russian, state="rejected")
    ApplicationFactory(posting=published, talent=chinese)
    ApplicationFactory(
        talent=TalentProfileFactory(nationality="FR"), posting=JobPostingFactory(edition=other)
    )
    DemandAnswerFactory(
        talent=german, demand=TalentDemandFactory(delegation=DelegationFactory(edition=edition))
    )
    assert edition_figures(edition) == {
        "job_postings": 3,
        "applications": 3,
        "hires": 1,
        "talent_profiles": 3,
        "foreign_talents": 2,
        "applications_by_state": {"hired": 1, "rejected": 1, "submitted": 1},
        "job_postings_by_field": {"5G": 2, "Biomedicine": 1},
    }
    assert participating_organisation_ids(edition) == [employer.pk]


def test_report_names_a_field_in_the_readers_language():
    FieldFactory(name_en="New materials", name_zh="新材料")
    figures = {"job_postings_by_field": {"New materials": 2}}

    with translation.override("zh-hans"):
        rows = [[str(cell) for cell in row] for row in csv_rows(figures)]

    assert rows == [["按领域统计的职位", "新材料", "2"]]
