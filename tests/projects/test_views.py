import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Intention, Project
from tests.conftest import pdf_file, sign_in
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import DemandFactory, IntentionFactory, ProjectFactory

pytestmark = pytest.mark.django_db
LIST = reverse("projects:project_list")


def titles(response):
    return [project.title_en for project in response.context["projects"]]


def test_project_list_shows_only_published_visible_projects(client, edition):
    shown = ProjectFactory(edition=edition, title_en="Shown")
    ProjectFactory(edition=edition, state=Project.State.DRAFT)
    ProjectFactory(edition=edition, state=Project.State.CLOSED)
    ProjectFactory(edition=edition, hidden_at=timezone.now(), hidden_reason="Spam")
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [shown.title_en]


def test_project_list_searches_both_languages(client, edition):
    ProjectFactory(edition=edition, title_en="Photonics imaging", title_zh="光子成像")
    ProjectFactory(edition=edition, title_en="Fintech ledger", title_zh="金融账本")
    assert titles(client.get(LIST, {"q": "光子"})) == ["Photonics imaging"]
    assert titles(client.get(LIST, {"q": "ledger"})) == ["Fintech ledger"]


def test_project_list_filters(client, edition):
    photonics = FieldFactory(slug="photonics")
    offer = ProjectFactory(
        edition=edition,
        title_en="Offer",
        fields=[photonics],
        cooperation_types=["licensing"],
        stage=Project.Stage.PILOT,
    )
    jiangsu = DelegationFactory(edition=edition, name_en="Jiangsu Province")
    demand = DemandFactory(delegation=jiangsu, title_en="Demand", cooperation_types=["talent"])
    foreign = ProjectFactory(
        edition=edition,
        title_en="Foreign",
        organisation=OrganisationFactory(country="FI"),
        owner_country="FI",
    )
    assert titles(client.get(LIST, {"kind": "request"})) == [demand.title_en]
    assert titles(client.get(LIST, {"field": "photonics"})) == [offer.title_en]
    assert titles(client.get(LIST, {"cooperation": "talent"})) == [demand.title_en]
    assert titles(client.get(LIST, {"stage": "pilot"})) == [offer.title_en]
    assert titles(client.get(LIST, {"country": "FI"})) == [foreign.title_en]
    assert titles(client.get(LIST, {"province": "Jiangsu Province"})) == [demand.title_en]
    assert titles(client.get(LIST, {"edition": edition.number, "kind": "offer"})) == [
        "Foreign",
        "Offer",
    ]
    response = client.get(LIST, {"edition": 999})
    assert list(response.context["filter"].form.errors) == ["edition"]


def test_project_list_empty_state_and_pagination_keeps_filters(client, edition):
    response = client.get(LIST)
    assert "No project has been published yet." in response.content.decode()
    for _ in range(21):
        ProjectFactory(edition=edition, kind="request")
    response = client.get(LIST, {"kind": "request"})
    body = response.content.decode()
    assert response.context["page_obj"].paginator.num_pages == 2
    assert "?kind=request&amp;page=2" in body
    response = client.get(LIST, {"kind": "offer"})
    assert "No project matches these filters." in response.content.decode()


def test_project_list_query_count_does_not_grow(client, edition, django_assert_num_queries):
    field = FieldFactory()
    ProjectFactory(edition=edition, fields=[field])
    with django_assert_num_queries(9) as one:
        client.get(LIST, {"q": "Project"})
    for _ in range(49):
        ProjectFactory(edition=edition, fields=[field])
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(LIST, {"q": "Project"})


def test_project_detail_draft_is_404_for_others_but_visible_to_owner(client, user):
    membership = MembershipFactory(user=user)
    project = ProjectFactory(organisation=membership.organisation, state=Project.State.DRAFT)
    assert client.get(project.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(project.get_absolute_url()).status_code == 404
    client.force_login(user)
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert response.context["is_owner"] is True


def test_project_create_view_saves_draft(client, user, edition):
    field = FieldFactory()
    membership = MembershipFactory(user=user)
    client.force_login(user)
    response = client.post(
        reverse("projects:project_create"),
        {
            "owner": f"organisation:{membership.organisation.pk}",
            "kind": "offer",
            "title_en": "Photonics",
            "summary_en": "Imaging",
            "fields": [field.pk],
            "cooperation_types": ["technology_transfer"],
            "stage": "research",
            "contact_name": "A",
            "contact_email": "a@example.org",
            "attachment": pdf_file(),
            "attachment_title": "Technical sheet",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.state == Project.State.DRAFT
    assert [d.file.name.split("/")[0] for d in project.documents.all()] == ["projects"]
    client.post(reverse("projects:project_action", args=[project.pk, "publish"]))
    project.refresh_from_db()
    assert project.state == Project.State.PUBLISHED


def test_project_create_view_rejects_fake_pdf(client, user, edition):
    field = FieldFactory()
    client.force_login(user)
    response = client.post(
        reverse("projects:project_create"),
        {
            "owner": "expert",
            "kind": "offer",
            "title_en": "Photonics",
            "summary_en": "Imaging",
            "fields": [field.pk],
            "cooperation_types": ["technology_transfer"],
            "stage": "research",
            "contact_name": "A",
            "contact_email": "a@example.org",
            "attachment": pdf_file("fake.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"attachment": ["This file is not a PDF document."]}
    assert Project.objects.count() == 0


def test_project_create_view_refuses_other_organisation(client, user, edition):
    other = OrganisationFactory()
    client.force_login(user)
    response = client.post(
        reverse("projects:project_create"),
        {"owner": f"organisation:{other.pk}", "kind": "offer"},
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert Project.objects.count() == 0


def test_project_edit_by_stranger_is_404(client, user):
    project = ProjectFactory()
    client.force_login(user)
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 404


def test_project_hide_from_detail_page_by_organiser(client, organiser, user):
    project = ProjectFactory()
    sign_in(client, user)
    response = client.post(
        reverse("projects:project_action", args=[project.pk, "hide"]), {"reason": "Spam"}
    )
    assert response.status_code == 404
    sign_in(client, organiser)
    client.post(reverse("projects:project_action", args=[project.pk, "hide"]), {"reason": "Spam"})
    project.refresh_from_db()
    assert project.hidden_reason == "Spam"


@pytest.fixture
def representative(delegation):
    return DelegationMemberFactory(delegation=delegation).user


def test_intention_create_view_from_project(client, representative, delegation):
    owner = MembershipFactory()
    project = ProjectFactory(edition=delegation.edition, organisation=owner.organisation)
    client.force_login(representative)
    url = reverse("projects:intention_create") + f"?project={project.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "party": f"delegation:{delegation.pk}",
            "cooperation_type": "joint_rd",
            "description_en": "Joint laboratory",
        },
    )
    intention = Intention.objects.get()
    assert response["Location"] == intention.get_absolute_url()
    assert intention.delegation == delegation
    assert intention.project == project


def test_intention_create_view_with_yourself_shows_error(client, user, edition):
    membership = MembershipFactory(user=user)
    client.force_login(user)
    response = client.post(
        reverse("projects:intention_create"),
        {
            "party": f"organisation:{membership.organisation.pk}",
            "counterpart_organisation": membership.organisation.pk,
            "cooperation_type": "joint_rd",
            "description_en": "Ourselves",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "You cannot submit an intention with yourself."
    ]
    assert Intention.objects.count() == 0


def test_intention_create_view_for_foreign_delegation_is_rejected(client, user, delegation):
    client.force_login(user)
    MembershipFactory(user=user)
    response = client.post(
        reverse("projects:intention_create"),
        {
            "party": f"delegation:{delegation.pk}",
            "counterpart_organisation": OrganisationFactory().pk,
            "cooperation_type": "joint_rd",
            "description_en": "x",
        },
    )
    assert "party" in response.context["form"].errors
    assert Intention.objects.count() == 0


def test_intention_detail_is_404_for_strangers(client, user, edition):
    intention = IntentionFactory(edition=edition)
    client.force_login(user)
    assert client.get(intention.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("projects:intention_transition", args=[intention.pk, "confirmed"])
    )
    assert response.status_code == 404


def test_intention_confirm_and_sign_through_views(client, representative, delegation, organiser):
    owner = MembershipFactory()
    intention = IntentionFactory(
        edition=delegation.edition,
        delegation=delegation,
        counterpart_organisation=owner.organisation,
    )
    sign_in(client, owner.user)
    response = client.get(intention.get_absolute_url())
    assert response.context["transitions"] == ["confirmed", "declined"]
    client.post(reverse("projects:intention_transition", args=[intention.pk, "confirmed"]))
    intention.refresh_from_db()
    assert intention.state == "confirmed"
    sign_in(client, organiser)
    response = client.post(
        reverse("projects:intention_sign", args=[intention.pk]),
        {"signed_on": "2099-01-01", "place_en": "Shenzhen"},
    )
    assert response.context["form"].errors == {
        "signed_on": ["The date of signing cannot be in the future."]
    }
    signed_on = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(
        reverse("projects:intention_sign", args=[intention.pk]),
        {
            "signed_on": signed_on.isoformat(),
            "place_en": "Signing ceremony",
            "document": pdf_file(),
        },
    )
    assert response.status_code == 302
    intention.refresh_from_db()
    assert (intention.state, intention.signed_on) == ("signed", signed_on)


def test_intention_illegal_transition_view_shows_error(client, delegation):
    owner = MembershipFactory()
    intention = IntentionFactory(
        edition=delegation.edition,
        delegation=delegation,
        counterpart_organisation=owner.organisation,
        state="declined",
    )
    client.force_login(owner.user)
    response = client.post(
        reverse("projects:intention_transition", args=[intention.pk, "confirmed"]), follow=True
    )
    assert "cannot become" in response.content.decode()
    intention.refresh_from_db()
    assert intention.state == "declined"


def test_delegation_page_counts_and_other_delegation_is_404(client, representative, delegation):
    field = FieldFactory(name_en="Biomedicine")
    IntentionFactory.create_batch(
        3, edition=delegation.edition, delegation=delegation, fields=[field]
    )
    IntentionFactory(
        edition=delegation.edition,
        delegation=delegation,
        state="signed",
        signed_on=timezone.localdate(),
    )
    IntentionFactory(edition=delegation.edition, delegation=delegation, state="withdrawn")
    other = DelegationFactory(edition=delegation.edition)
    IntentionFactory(edition=delegation.edition, delegation=other)
    client.force_login(representative)
    response = client.get(reverse("projects:delegation_intentions", args=[delegation.pk]))
    assert response.status_code == 200
    assert (response.context["intention_count"], response.context["agreement_count"]) == (4, 1)
    assert response.context["by_state"] == [
        ("Submitted", 3),
        ("Agreement signed", 1),
        ("Withdrawn", 1),
    ]
    assert response.context["by_field"] == [("Biomedicine", field.name_zh, 3)]
    assert "4 intentions, 1 agreement" in response.content.decode()
    assert client.get(reverse("projects:delegation_intentions", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("projects:delegation_intentions_csv", args=[other.pk])).status_code
        == 404
    )


def test_delegation_csv_has_bom_and_rows(client, representative, delegation):
    IntentionFactory(edition=delegation.edition, delegation=delegation, description_zh="共建实验室")
    client.force_login(representative)
    response = client.get(reverse("projects:delegation_intentions_csv", args=[delegation.pk]))
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeffSubmitted by,Counterpart,")
    assert len(body.strip().splitlines()) == 2
    assert delegation.name_en in body


def test_ranking_is_for_organisers_only(client, user, organiser, edition):
    first = DelegationFactory(edition=edition, name_en="Jiangsu")
    second = DelegationFactory(edition=edition, name_en="Hebei")
    IntentionFactory.create_batch(2, edition=edition, delegation=second)
    IntentionFactory(
        edition=edition, delegation=first, state="signed", signed_on=timezone.localdate()
    )
    IntentionFactory(edition=edition, delegation=first, state="withdrawn")
    sign_in(client, user)
    assert client.get(reverse("projects:ranking")).status_code == 404
    sign_in(client, organiser)
    response = client.get(reverse("projects:ranking"))
    assert [
        (d.name_en, d.intention_count, d.agreement_count) for d in response.context["delegations"]
    ] == [
        ("Jiangsu", 1, 1),
        ("Hebei", 2, 0),
    ]


def test_public_agreements_need_both_parties_consent(client, edition):
    private = IntentionFactory(edition=edition, state="signed", signed_on=timezone.localdate())
    public = IntentionFactory(
        edition=edition,
        state="completed",
        signed_on=timezone.localdate(),
        submitter_publishes=True,
        counterpart_publishes=True,
        description_en="Published cooperation",
    )
    response = client.get(reverse("projects:agreement_list"))
    assert list(response.context["agreements"]) == [public]
    assert response.context["totals"] == {"intentions": 2, "agreements": 2}
    assert private.description_en not in response.content.decode().replace(
        public.description_en, ""
    )


def test_delegation_public_page_shows_counts_only(client, delegation):
    IntentionFactory(edition=delegation.edition, delegation=delegation, description_en="Secret")
    response = client.get(delegation.get_absolute_url())
    body = response.content.decode()
    assert "1 intention, 0 agreements" in body
    assert "Secret" not in body


def test_progress_report_view(client, delegation, representative):
    intention = IntentionFactory(
        edition=delegation.edition,
        delegation=delegation,
        state="signed",
        signed_on=timezone.localdate(),
    )
    client.force_login(representative)
    client.post(
        reverse("projects:intention_report", args=[intention.pk]),
        {"text": "Lab opened", "milestone": "3"},
    )
    assert list(intention.progress_reports.values_list("text", "milestone")) == [("Lab opened", 3)]
    client.force_login(UserFactory())
    response = client.post(reverse("projects:intention_report", args=[intention.pk]), {"text": "x"})
    assert response.status_code == 404


def test_dashboard_and_my_projects_pages(client, user):
    client.force_login(user)
    assert client.get(reverse("ciep:dashboard")).status_code == 200
    assert client.get(reverse("projects:my_projects")).status_code == 200
    assert client.get(reverse("projects:my_projects")).status_code == 200


def test_my_projects_requires_login(client, db):
    response = client.get(reverse("projects:my_projects"))
    assert response.status_code == 302


def test_delegation_page_query_count_does_not_grow(
    client, representative, delegation, django_assert_num_queries
):
    field = FieldFactory()
    IntentionFactory(edition=delegation.edition, delegation=delegation, fields=[field])
    client.force_login(representative)
    url = reverse("projects:delegation_intentions", args=[delegation.pk])
    with django_assert_num_queries(9) as one:
        client.get(url)
    for _ in range(30):
        IntentionFactory(edition=delegation.edition, delegation=delegation, fields=[field])
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_my_projects_query_count_does_not_grow(client, user, django_assert_num_queries):
    membership = MembershipFactory(user=user)
    field = FieldFactory()
    ProjectFactory(organisation=membership.organisation, fields=[field])
    IntentionFactory(delegation=None, organisation=membership.organisation)
    client.force_login(user)
    url = reverse("projects:my_projects")
    with django_assert_num_queries(7) as one:
        client.get(url)
    for _ in range(20):
        ProjectFactory(organisation=membership.organisation, fields=[field])
        IntentionFactory(delegation=None, organisation=membership.organisation)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_agreement_list_query_count_does_not_grow(client, edition, django_assert_num_queries):
    def agreement():
        IntentionFactory(
            edition=edition,
            state="signed",
            signed_on=timezone.localdate(),
            submitter_publishes=True,
            counterpart_publishes=True,
        )

    agreement()
    url = reverse("projects:agreement_list")
    with django_assert_num_queries(7) as one:
        client.get(url)
    for _ in range(15):
        agreement()
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
