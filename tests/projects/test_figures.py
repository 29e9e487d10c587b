import pytest
from django.utils import timezone, translation

from ciep.report import csv_rows
from projects.figures import edition_figures, participating_organisation_ids
from tests.factories import DelegationFactory, EditionFactory, FieldFactory, OrganisationFactory
from tests.projects.factories import DemandFactory, IntentionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_edition_figures_on_hand_built_data():
    edition = EditionFactory()
    other_edition = EditionFactory()
    biomedicine = FieldFactory(slug="biomedicine")
    photonics = FieldFactory(slug="photonics")
    jiangsu = DelegationFactory(edition=edition, name_en="Jiangsu Province")
    zhongshan = DelegationFactory(edition=edition, name_en="Zhongshan City")
    ProjectFactory.create_batch(2, edition=edition)
    DemandFactory(delegation=jiangsu)
    ProjectFactory(edition=edition, state="draft")
    ProjectFactory(edition=other_edition)
    today = timezone.localdate()
    IntentionFactory.create_batch(3, edition=edition, delegation=jiangsu, fields=[biomedicine])
    IntentionFactory(edition=edition, delegation=jiangsu, state="signed", signed_on=today)
    IntentionFactory(
        edition=edition,
        delegation=zhongshan,
        state="completed",
        signed_on=today,
        fields=[biomedicine, photonics],
    )
    IntentionFactory(edition=edition, delegation=zhongshan, state="declined")
    IntentionFactory(edition=edition, delegation=zhongshan, state="withdrawn")
    IntentionFactory(
        edition=edition,
        delegation=None,
        organisation=OrganisationFactory(),
        state="implementing",
        signed_on=today,
    )
    IntentionFactory(edition=other_edition)
    assert edition_figures(edition) == {
        "projects": 3,
        "cooperation_intentions": 7,
        "agreements_signed": 3,
        "intentions_by_state": {
            "submitted": 3,
            "signed": 1,
            "completed": 1,
            "declined": 1,
            "implementing": 1,
        },
        "intentions_by_field": {"biomedicine": 4, "photonics": 1},
        "intentions_by_delegation": {"Jiangsu Province": 4, "Zhongshan City": 2},
        "projects_by_type": {"offer": 2, "request": 1},
    }


def test_participating_organisation_ids():
    edition = EditionFactory()
    with_project = ProjectFactory(edition=edition).organisation
    submitter = OrganisationFactory()
    counterpart = OrganisationFactory()
    IntentionFactory(
        edition=edition,
        delegation=None,
        organisation=submitter,
        counterpart_organisation=counterpart,
    )
    OrganisationFactory()
    ProjectFactory()
    assert participating_organisation_ids(edition) == {
        with_project.pk,
        submitter.pk,
        counterpart.pk,
    }


def test_report_names_a_delegation_in_the_readers_language():
    DelegationFactory(edition=EditionFactory(), name_en="Jiangsu Province", name_zh="江苏省")
    figures = {"intentions_by_delegation": {"Jiangsu Province": 4, "Gone City": 1}}

    with translation.override("zh-hans"):
        rows = [[str(cell) for cell in row] for row in csv_rows(figures)]

    assert rows == [["按代表团统计的意向", "江苏省", "4"], ["按代表团统计的意向", "Gone City", "1"]]
