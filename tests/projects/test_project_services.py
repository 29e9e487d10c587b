import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import services
from projects.models import Project
from tests.factories import (
    DelegationMemberFactory,
    FieldFactory,
    MembershipFactory,
    UserFactory,
)
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ATTRIBUTES = {
    "kind": "offer",
    "title_en": "Biomedical photonics imaging",
    "title_zh": "生物医学光子成像",
    "summary_en": "Imaging for early diagnosis.",
    "stage": "pilot",
    "contact_name": "Zhang Han",
    "contact_email": "zhang@example.org",
}


def test_project_create_for_organisation_member_is_draft(edition, field):
    membership = MembershipFactory(role="staff")
    project = services.project_create(
        by=membership.user,
        edition=edition,
        organisation=membership.organisation,
        fields=[field],
        cooperation_types=["technology_transfer", "joint_rd"],
        **ATTRIBUTES,
    )
    assert project.state == Project.State.DRAFT
    assert project.owner == membership.organisation
    assert project.owner_country == "CN"
    assert list(project.fields.all()) == [field]
    assert sorted(project.cooperation_types.values_list("type", flat=True)) == [
        "joint_rd",
        "technology_transfer",
    ]
    assert project.created_by == membership.user


def test_project_create_for_foreign_organisation_is_refused(edition, user, organisation):
    with pytest.raises(PermissionDenied):
        services.project_create(by=user, edition=edition, organisation=organisation, **ATTRIBUTES)
    assert Project.objects.count() == 0


def test_project_create_demand_needs_delegation_head(delegation):
    representative = DelegationMemberFactory(delegation=delegation).user
    attributes = {**ATTRIBUTES, "kind": "request"}
    with pytest.raises(PermissionDenied):
        services.project_create(
            by=representative, edition=delegation.edition, delegation=delegation, **attributes
        )
    head = DelegationMemberFactory(delegation=delegation, role="head").user
    demand = services.project_create(
        by=head, edition=delegation.edition, delegation=delegation, **attributes
    )
    assert demand.is_demand is True
    assert Project.objects.demands().get() == demand


def test_project_create_delegation_offer_is_refused(delegation):
    head = DelegationMemberFactory(delegation=delegation, role="head").user
    with pytest.raises(ValidationError) as error:
        services.project_create(
            by=head, edition=delegation.edition, delegation=delegation, **ATTRIBUTES
        )
    assert error.value.message_dict == {"kind": ["A delegation publishes its demands as requests."]}
    assert Project.objects.count() == 0


def test_project_create_without_title_is_refused(edition, user):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            by=user, edition=edition, expert=user, **{**ATTRIBUTES, "title_en": "", "title_zh": ""}
        )
    assert error.value.message_dict == {
        "title_en": ["Give the project a title in English or Chinese."]
    }
    assert Project.objects.count() == 0


def test_project_create_expert_for_someone_else_is_refused(edition, user):
    with pytest.raises(PermissionDenied):
        services.project_create(by=user, edition=edition, expert=UserFactory(), **ATTRIBUTES)


def test_project_publish_needs_field_and_type(edition, user):
    project = services.project_create(by=user, edition=edition, expert=user, **ATTRIBUTES)
    with pytest.raises(ValidationError) as error:
        services.project_publish(project=project, by=user)
    assert error.value.messages == ["Choose at least one field before publishing."]
    project.fields.add(FieldFactory())
    with pytest.raises(ValidationError):
        services.project_publish(project=project, by=user)
    services.project_update(project=project, by=user, cooperation_types=["licensing"])
    project = services.project_publish(project=project, by=user)
    assert project.state == Project.State.PUBLISHED
    assert project.published_at is not None
    assert list(Project.objects.published()) == [project]


def test_project_publish_by_stranger_is_refused(user):
    project = ProjectFactory(state=Project.State.DRAFT)
    with pytest.raises(PermissionDenied):
        services.project_publish(project=project, by=user)


def test_project_close_leaves_catalogue(user):
    project = ProjectFactory(expert=user, organisation=None)
    services.project_close(project=project, by=user)
    assert Project.objects.published().count() == 0
    with pytest.raises(ValidationError):
        services.project_close(project=project, by=user)


def test_project_hide_needs_organiser_and_reason(organiser, user):
    project = ProjectFactory()
    with pytest.raises(PermissionDenied):
        services.project_hide(project=project, by=user, reason="Spam")
    with pytest.raises(ValidationError):
        services.project_hide(project=project, by=organiser, reason="  ")
    services.project_hide(project=project, by=organiser, reason="Advertising, not a project.")
    assert project.hidden_reason == "Advertising, not a project."
    assert project.hidden_by == organiser
    assert list(Project.objects.published()) == []
    services.project_unhide(project=project, by=organiser)
    assert list(Project.objects.published()) == [project]


def test_project_update_by_stranger_is_refused(user):
    project = ProjectFactory()
    with pytest.raises(PermissionDenied):
        services.project_update(project=project, by=user, title_en="Taken over")
    project.refresh_from_db()
    assert project.title_en.startswith("Project ")


def test_project_document_add_checks_pdf_and_owner(user):
    from tests.conftest import pdf_file

    project = ProjectFactory(expert=user, organisation=None)
    with pytest.raises(ValidationError) as error:
        services.project_document_add(
            project=project, by=user, file=pdf_file("fake.pdf", b"GIF89a not a pdf")
        )
    assert error.value.messages == ["This file is not a PDF document."]
    with pytest.raises(PermissionDenied):
        services.project_document_add(project=project, by=UserFactory(), file=pdf_file())
    assert project.documents.count() == 0
    document = services.project_document_add(
        project=project, by=user, file=pdf_file(), title_en="Technical sheet"
    )
    assert [str(d) for d in project.documents.all()] == ["Technical sheet"]
    with pytest.raises(PermissionDenied):
        services.project_document_remove(document=document, by=UserFactory())
    services.project_document_remove(document=document, by=user)
    assert project.documents.count() == 0
