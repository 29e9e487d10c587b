import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from ciep import services
from ciep.models import DelegationMember, Edition, EditionChange, Invitation, Membership
from tests.factories import (
    DelegationMemberFactory,
    EditionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_edition_make_current_leaves_exactly_one_current(organiser):
    first = EditionFactory(is_current=True)
    second = EditionFactory()
    with pytest.raises(PermissionDenied):
        services.edition_make_current(edition=second, by=UserFactory())
    assert list(Edition.objects.filter(is_current=True)) == [first]
    services.edition_make_current(edition=second, by=organiser)
    assert list(Edition.objects.filter(is_current=True)) == [second]
    first.refresh_from_db()
    assert first.is_current is False


def test_edition_two_current_rejected_by_database():
    EditionFactory(is_current=True)
    with pytest.raises(IntegrityError):
        EditionFactory(is_current=True)


def test_edition_reschedule_records_previous_dates_and_format(organiser):
    edition = EditionFactory(
        start_date=datetime.date(2021, 12, 19), end_date=datetime.date(2021, 12, 20)
    )
    move = {
        "edition": edition,
        "start_date": datetime.date(2022, 5, 26),
        "end_date": datetime.date(2022, 5, 26),
        "format": "online",
        "reason_en": "COVID-19",
    }
    with pytest.raises(PermissionDenied):
        services.edition_reschedule(**move, by=UserFactory())
    assert EditionChange.objects.count() == 0
    change = services.edition_reschedule(**move, by=organiser)
    edition.refresh_from_db()
    assert (edition.start_date, edition.format) == (datetime.date(2022, 5, 26), "online")
    assert (change.previous_start_date, change.previous_format) == (
        datetime.date(2021, 12, 19),
        "offline",
    )
    assert edition.latest_change == change


def test_edition_reschedule_end_before_start_saves_nothing(organiser):
    edition = EditionFactory()
    with pytest.raises(ValidationError):
        services.edition_reschedule(
            edition=edition,
            start_date=datetime.date(2022, 5, 26),
            end_date=datetime.date(2022, 5, 25),
            format="online",
            reason_en="x",
            by=organiser,
        )
    assert EditionChange.objects.count() == 0


def test_membership_invite_by_admin_emails_and_accept_creates_membership():
    admin = MembershipFactory().user
    organisation = admin.memberships.get().organisation
    invitee = UserFactory(email="new.colleague@example.org", preferred_language="zh")
    invitation = services.membership_invite(
        organisation=organisation, email="New.Colleague@example.org", role="staff", by=admin
    )
    assert [message.to for message in mail.outbox] == [["new.colleague@example.org"]]
    assert "邀请" in mail.outbox[0].subject
    member = services.invitation_accept(invitation=invitation, user=invitee)
    assert (member.organisation, member.role) == (organisation, "staff")
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=invitee)


def test_membership_invite_by_staff_member_is_refused():
    staff = MembershipFactory(role=Membership.Role.STAFF)
    with pytest.raises(PermissionDenied):
        services.membership_invite(
            organisation=staff.organisation, email="x@example.org", role="staff", by=staff.user
        )
    assert Invitation.objects.count() == 0


def test_membership_invite_twice_gives_clear_error():
    admin = MembershipFactory()
    services.membership_invite(
        organisation=admin.organisation, email="x@example.org", role="staff", by=admin.user
    )
    with pytest.raises(ValidationError) as error:
        services.membership_invite(
            organisation=admin.organisation, email="X@example.org", role="staff", by=admin.user
        )
    assert "already been invited" in error.value.messages[0]
    assert Invitation.objects.count() == 1


def test_invitation_accept_by_other_email_is_refused():
    admin = MembershipFactory()
    invitation = services.membership_invite(
        organisation=admin.organisation, email="x@example.org", role="staff", by=admin.user
    )
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=UserFactory())
    assert admin.organisation.memberships.count() == 1


def test_membership_remove_last_admin_is_refused():
    admin = MembershipFactory()
    with pytest.raises(ValidationError):
        services.membership_remove(membership=admin, by=admin.user)
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_membership_remove_staff_by_admin():
    admin = MembershipFactory()
    staff = MembershipFactory(organisation=admin.organisation, role=Membership.Role.STAFF)
    services.membership_remove(membership=staff, by=admin.user)
    assert list(admin.organisation.memberships.all()) == [admin]


def test_organisation_verify_emails_admins_once():
    admin = MembershipFactory(organisation=OrganisationFactory(unverified=True))
    organiser = UserFactory(organiser=True)
    services.organisation_verify(organisation=admin.organisation, by=organiser)
    services.organisation_verify(organisation=admin.organisation, by=organiser)
    assert admin.organisation.is_verified
    assert len(mail.outbox) == 1


def test_delegation_invite_only_by_head(delegation):
    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD)
    representative = DelegationMemberFactory(delegation=delegation)
    with pytest.raises(PermissionDenied):
        services.delegation_member_invite(
            delegation=delegation, email="a@example.org", by=representative.user
        )
    invitation = services.delegation_member_invite(
        delegation=delegation, email="a@example.org", by=head.user
    )
    member = services.invitation_accept(
        invitation=invitation, user=UserFactory(email="a@example.org")
    )
    assert (member.delegation, member.role) == (delegation, "representative")


def test_delegation_head_cannot_be_removed(delegation):
    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD)
    with pytest.raises(ValidationError):
        services.delegation_member_remove(member=head, by=head.user)


def test_organisation_update_saves_for_its_admins_only():
    admin = MembershipFactory(role="admin")
    staff = MembershipFactory(organisation=admin.organisation, role="staff")
    organisation = admin.organisation
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=organisation, data={"name_en": "Taken over"}, by=staff.user
        )
    services.organisation_update(
        organisation=organisation, data={"name_en": "Renamed Ltd"}, by=admin.user
    )
    organisation.refresh_from_db()
    assert organisation.name_en == "Renamed Ltd"


def test_user_profile_update_only_by_the_person():
    person, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_profile_update(user=person, data={"name": "Mallory"}, by=other)
    services.user_profile_update(user=person, data={"name": "Li Wei"}, by=person)
    person.refresh_from_db()
    assert person.name == "Li Wei"


def test_delegation_policies_and_documents_by_the_head_only():
    head = DelegationMemberFactory(role="head")
    representative = DelegationMemberFactory(delegation=head.delegation, role="representative")
    delegation = head.delegation
    with pytest.raises(PermissionDenied):
        services.delegation_policies_update(
            delegation=delegation, data={"policies_en": "Ours"}, by=representative.user
        )
    services.delegation_policies_update(
        delegation=delegation, data={"policies_en": "Tax relief"}, by=head.user
    )
    delegation.refresh_from_db()
    assert delegation.policies_en == "Tax relief"


def test_organisation_verification_by_organisers_only():
    organisation = OrganisationFactory(unverified=True)
    with pytest.raises(PermissionDenied):
        services.organisation_verify(organisation=organisation, by=UserFactory())
    organisation.refresh_from_db()
    assert organisation.verified_at is None
