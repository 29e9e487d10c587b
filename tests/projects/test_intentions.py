import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ciep.models import Edition
from projects import services
from projects.models import Intention, IntentionEvent, Project
from tests.conftest import pdf_file
from tests.factories import (
    DelegationMemberFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import DemandFactory, IntentionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(delegation):
    """A delegation representative and the staff of a project-owning organisation."""
    representative = DelegationMemberFactory(delegation=delegation).user
    owner = MembershipFactory(role="staff", user=UserFactory(preferred_language="zh"))
    project = ProjectFactory(
        edition=delegation.edition, organisation=owner.organisation, fields=[FieldFactory()]
    )
    return representative, owner.user, project


def submit(representative, project, **extra):
    return services.intention_submit(
        by=representative,
        edition=project.edition,
        delegation=representative.delegation_memberships.get().delegation,
        project=project,
        cooperation_type="joint_rd",
        description_en="A joint laboratory in the province.",
        **extra,
    )


def test_intention_submit_takes_counterpart_from_project_and_notifies_it(parties):
    representative, owner, project = parties
    mail.outbox.clear()
    intention = submit(representative, project)
    assert intention.state == Intention.State.SUBMITTED
    assert intention.counterpart_organisation == project.organisation
    assert list(intention.fields.all()) == list(project.fields.all())
    assert [(e.from_state, e.to_state, e.by) for e in intention.events.all()] == [
        ("", "submitted", representative)
    ]
    assert [message.to for message in mail.outbox] == [[owner.email]]
    # The owner prefers Chinese: the notification is in Chinese.
    delegation = representative.delegation_memberships.get().delegation
    assert mail.outbox[0].subject == f"[CIEP] 来自{delegation.name_zh}的合作意向"


def test_intention_submit_for_foreign_delegation_is_refused(parties, delegation):
    _representative, _owner, project = parties
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.intention_submit(
            by=stranger,
            edition=project.edition,
            delegation=delegation,
            project=project,
            cooperation_type="joint_rd",
            description_en="x",
        )
    assert Intention.objects.count() == 0


def test_intention_with_yourself_is_refused(edition):
    membership = MembershipFactory()
    project = ProjectFactory(edition=edition, organisation=membership.organisation)
    with pytest.raises(ValidationError) as error:
        services.intention_submit(
            by=membership.user,
            edition=edition,
            organisation=membership.organisation,
            project=project,
            cooperation_type="licensing",
            description_en="With ourselves",
        )
    assert error.value.messages == ["You cannot submit an intention with yourself."]
    assert Intention.objects.count() == 0


def test_intention_with_own_delegation_demand_is_refused(delegation):
    representative = DelegationMemberFactory(delegation=delegation).user
    demand = DemandFactory(delegation=delegation)
    with pytest.raises(ValidationError) as error:
        submit(representative, demand)
    assert error.value.messages == ["You cannot submit an intention with yourself."]


def test_intention_on_unpublished_project_is_refused(parties):
    representative, _owner, project = parties
    Project.objects.filter(pk=project.pk).update(state=Project.State.DRAFT)
    project.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        submit(representative, project)
    assert error.value.message_dict == {"project": ["This project is not open for cooperation."]}


def test_intention_at_concluded_edition_is_refused(parties):
    representative, _owner, project = parties
    Edition.objects.filter(pk=project.edition_id).update(status=Edition.Status.CONCLUDED)
    project.edition.refresh_from_db()
    with pytest.raises(ValidationError):
        submit(representative, project)
    assert Intention.objects.count() == 0


def test_intention_without_description_is_refused(parties):
    representative, _owner, project = parties
    with pytest.raises(ValidationError) as error:
        services.intention_submit(
            by=representative,
            edition=project.edition,
            delegation=representative.delegation_memberships.get().delegation,
            project=project,
            cooperation_type="joint_rd",
        )
    assert list(error.value.message_dict) == ["description_en"]


def test_intention_full_life_records_every_step_and_notifies_both_sides(parties, organiser):
    representative, owner, project = parties
    intention = submit(representative, project)
    mail.outbox.clear()
    services.intention_confirm(intention=intention, by=owner)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([representative.email, owner.email])
    services.intention_negotiate(intention=intention, by=representative)
    signed_on = timezone.localdate() - datetime.timedelta(days=1)
    services.intention_sign(
        intention=intention,
        by=organiser,
        signed_on=signed_on,
        place_en="Signing ceremony of the edition",
        document=pdf_file(),
    )
    services.intention_start_implementation(intention=intention, by=owner)
    intention = services.intention_complete(intention=intention, by=representative)
    assert intention.state == Intention.State.COMPLETED
    assert intention.signed_on == signed_on
    assert intention.signed_document.name.startswith("agreements/")
    assert [
        (e.from_state, e.to_state, e.by) for e in IntentionEvent.objects.filter(intention=intention)
    ] == [
        ("", "submitted", representative),
        ("submitted", "confirmed", owner),
        ("confirmed", "negotiating", representative),
        ("negotiating", "signed", organiser),
        ("signed", "implementing", owner),
        ("implementing", "completed", representative),
    ]


def test_intention_submitter_cannot_confirm_own_intention(parties):
    representative, _owner, project = parties
    intention = submit(representative, project)
    with pytest.raises(PermissionDenied):
        services.intention_confirm(intention=intention, by=representative)
    intention.refresh_from_db()
    assert intention.state == Intention.State.SUBMITTED


def test_intention_illegal_transition_is_refused_and_nothing_changes(parties):
    representative, owner, project = parties
    intention = submit(representative, project)
    services.intention_decline(intention=intention, by=owner, reason="Not our field.")
    with pytest.raises(ValidationError) as error:
        services.intention_confirm(intention=intention, by=owner)
    assert error.value.messages == ["An intention that is “Declined” cannot become “Confirmed”."]
    intention.refresh_from_db()
    assert intention.state == Intention.State.DECLINED
    assert intention.events.count() == 2
    assert intention.events.last().note == "Not our field."


def test_intention_stranger_cannot_move_it(parties):
    representative, _owner, project = parties
    intention = submit(representative, project)
    with pytest.raises(PermissionDenied):
        services.intention_withdraw(intention=intention, by=UserFactory())


def test_intention_sign_in_future_is_refused(parties):
    representative, owner, project = parties
    intention = submit(representative, project)
    services.intention_confirm(intention=intention, by=owner)
    with pytest.raises(ValidationError) as error:
        services.intention_sign(
            intention=intention,
            by=owner,
            signed_on=timezone.localdate() + datetime.timedelta(days=2),
            place_en="Shenzhen",
        )
    assert list(error.value.message_dict) == ["signed_on"]
    intention.refresh_from_db()
    assert intention.state == Intention.State.CONFIRMED


def test_intention_lapse_is_for_organisers_only(parties, organiser):
    representative, owner, project = parties
    intention = submit(representative, project)
    with pytest.raises(PermissionDenied):
        services.intention_lapse(intention=intention, by=owner)
    assert services.intention_lapse(intention=intention, by=organiser).state == "lapsed"


def test_intention_withdraw_after_signing_is_refused(parties, organiser):
    representative, owner, project = parties
    intention = submit(representative, project)
    services.intention_confirm(intention=intention, by=owner)
    services.intention_sign(
        intention=intention, by=owner, signed_on=timezone.localdate(), place_en="Shenzhen"
    )
    with pytest.raises(ValidationError):
        services.intention_withdraw(intention=intention, by=representative)


def test_allowed_transitions_per_person(parties, organiser):
    representative, owner, project = parties
    intention = submit(representative, project)
    assert services.allowed_transitions(intention, owner) == ["confirmed", "declined"]
    assert services.allowed_transitions(intention, representative) == ["withdrawn"]
    assert services.allowed_transitions(intention, organiser) == ["lapsed"]
    assert services.allowed_transitions(intention, UserFactory()) == []


def test_publication_needs_both_parties(parties):
    representative, owner, project = parties
    intention = submit(representative, project)
    services.intention_confirm(intention=intention, by=owner)
    services.intention_sign(
        intention=intention, by=owner, signed_on=timezone.localdate(), place_en="Shenzhen"
    )
    services.intention_set_publication(intention=intention, by=owner, publish=True)
    assert list(Intention.objects.published_agreements()) == []
    services.intention_set_publication(intention=intention, by=representative, publish=True)
    assert list(Intention.objects.published_agreements()) == [intention]
    with pytest.raises(PermissionDenied):
        services.intention_set_publication(intention=intention, by=UserFactory(), publish=False)


def test_visible_to_only_parties_and_organisers(parties, organiser):
    representative, owner, project = parties
    intention = submit(representative, project)
    other = IntentionFactory()
    assert list(Intention.objects.visible_to(representative)) == [intention]
    assert list(Intention.objects.visible_to(owner)) == [intention]
    assert list(Intention.objects.visible_to(UserFactory())) == []
    assert set(Intention.objects.visible_to(organiser)) == {intention, other}


def test_database_refuses_intention_with_own_organisation(edition):
    organisation = OrganisationFactory()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Intention.objects.create(
            edition=edition,
            organisation=organisation,
            counterpart_organisation=organisation,
            cooperation_type="licensing",
        )


def test_progress_report_only_on_agreements_by_parties(parties):
    representative, owner, project = parties
    intention = submit(representative, project)
    with pytest.raises(ValidationError):
        services.progress_report_add(intention=intention, by=owner, text="Going well")
    services.intention_confirm(intention=intention, by=owner)
    services.intention_sign(
        intention=intention, by=owner, signed_on=timezone.localdate(), place_en="Shenzhen"
    )
    with pytest.raises(PermissionDenied):
        services.progress_report_add(intention=intention, by=UserFactory(), text="x")
    report = services.progress_report_add(
        intention=intention, by=representative, text="Laboratory opened.", milestone=3
    )
    assert list(intention.progress_reports.all()) == [report]
