import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ciep.models import Edition
from exhibitions import services
from exhibitions.models import Application, Booth, Exhibitor, Meeting, Product, Slot
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import (
    ApplicationFactory,
    BoothFactory,
    ExhibitorFactory,
    MeetingFactory,
    SlotFactory,
    exhibitor_with_staff,
)

pytestmark = pytest.mark.django_db


# --- Booth rows -----------------------------------------------------------------------------


def test_booth_row_creates_numbered_booths_side_by_side(hall, organiser):
    booths = services.hall_add_booth_row(
        hall=hall, prefix="A-", first_number=101, count=3, x=10, y=5, width=3, depth=4, by=organiser
    )
    assert [(b.code, b.x, b.y, b.size_m2) for b in booths] == [
        ("A-101", 10, 5, 12),
        ("A-102", 13, 5, 12),
        ("A-103", 16, 5, 12),
    ]
    assert hall.booths.count() == 3


def test_booth_row_vertical_runs_downwards(hall, organiser):
    booths = services.hall_add_booth_row(
        hall=hall, prefix="C", first_number=1, count=2, x=0, y=0, vertical=True, by=organiser
    )
    assert [(b.x, b.y) for b in booths] == [(0, 0), (0, 3)]


def test_booth_row_outside_the_plan_is_refused_and_nothing_saved(hall, organiser):
    with pytest.raises(ValidationError, match="does not fit"):
        services.hall_add_booth_row(
            hall=hall, prefix="A-", first_number=1, count=40, x=0, y=0, by=organiser
        )
    assert hall.booths.count() == 0


def test_booth_row_with_existing_codes_is_refused(hall, organiser):
    BoothFactory(hall=hall, code="A-2")
    with pytest.raises(ValidationError, match="A-2"):
        services.hall_add_booth_row(
            hall=hall, prefix="A-", first_number=1, count=3, x=0, y=0, by=organiser
        )
    assert hall.booths.count() == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda by, booth, application: services.hall_add_booth_row(
            hall=booth.hall, prefix="Z-", first_number=1, count=1, x=0, y=0, by=by
        ),
        lambda by, booth, application: services.booth_release(booth=booth, by=by),
        lambda by, booth, application: services.application_approve(application=application, by=by),
        lambda by, booth, application: services.application_reject(
            application=application, by=by, note="No"
        ),
    ],
    ids=["hall_add_booth_row", "booth_release", "application_approve", "application_reject"],
)
def test_organiser_only_services_refuse_anyone_else(call):
    application = ApplicationFactory(state="submitted")
    booth = BoothFactory()
    with pytest.raises(PermissionDenied):
        call(UserFactory(), booth, application)
    application.refresh_from_db()
    assert (application.state, booth.hall.booths.count()) == ("submitted", 1)


def test_booth_state_without_assignment_is_refused_by_database(hall):
    with pytest.raises(IntegrityError), transaction.atomic():
        BoothFactory(hall=hall, state=Booth.State.ASSIGNED)


def test_standard_booth_cannot_belong_to_a_delegation(hall):
    delegation = DelegationFactory(edition=hall.edition)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoothFactory(hall=hall, state=Booth.State.ASSIGNED, delegation=delegation)


# --- Applications ---------------------------------------------------------------------------


def submit(org_admin, edition, **kwargs):
    organisation, admin = org_admin
    return services.application_submit(
        by=admin, edition=edition, organisation=organisation, description_en="Profile", **kwargs
    )


def test_application_submit_records_and_emails_the_admin(org_admin, edition, hall, field):
    application = submit(org_admin, edition, hall=hall, size_m2=18, fields=[field])
    assert application.state == Application.State.SUBMITTED
    assert (application.hall, application.size_m2, list(application.fields.all())) == (
        hall,
        18,
        [field],
    )
    assert [m.to for m in mail.outbox] == [[org_admin[1].email]]


def test_application_submit_with_picked_booth_reserves_it(org_admin, edition, hall):
    booth = BoothFactory(hall=hall, size_m2=12)
    application = submit(org_admin, edition, booth=booth)
    booth.refresh_from_db()
    assert booth.state == Booth.State.RESERVED
    assert (application.booth, application.hall, application.size_m2) == (booth, hall, 12)


def test_application_submit_for_taken_booth_is_refused_and_nothing_saved(org_admin, edition, hall):
    booth = BoothFactory(hall=hall, state=Booth.State.RESERVED)
    with pytest.raises(ValidationError) as error:
        submit(org_admin, edition, booth=booth)
    assert "has just been taken" in error.value.message_dict["booth"][0]
    assert Application.objects.count() == 0


def test_application_submit_by_staff_member_is_denied(edition):
    membership = MembershipFactory(role="staff")
    with pytest.raises(PermissionDenied):
        services.application_submit(
            by=membership.user, edition=edition, organisation=membership.organisation
        )


def test_application_submit_twice_is_refused(org_admin, edition):
    submit(org_admin, edition)
    with pytest.raises(ValidationError, match="already an open application"):
        submit(org_admin, edition)
    assert Application.objects.count() == 1


def test_application_submit_after_rejection_is_allowed(org_admin, edition, organiser):
    first = submit(org_admin, edition)
    services.application_reject(application=first, by=organiser, note="Incomplete.")
    second = submit(org_admin, edition)
    assert second.state == Application.State.SUBMITTED


def test_application_submit_to_concluded_edition_is_refused(org_admin, edition):
    edition.status = Edition.Status.CONCLUDED
    edition.save()
    with pytest.raises(ValidationError, match="concluded"):
        submit(org_admin, edition)


def test_delegation_head_applies_for_pavilion(edition):
    head = DelegationMemberFactory(delegation__edition=edition, role="head")
    application = services.application_submit(
        by=head.user, edition=edition, delegation=head.delegation, size_m2=200
    )
    assert (application.booth_kind, application.organisation) == (Booth.Kind.PAVILION, None)


def test_delegation_representative_cannot_apply(edition):
    member = DelegationMemberFactory(delegation__edition=edition, role="representative")
    with pytest.raises(PermissionDenied):
        services.application_submit(by=member.user, edition=edition, delegation=member.delegation)


def test_application_withdraw_frees_the_reserved_booth(org_admin, edition, hall):
    booth = BoothFactory(hall=hall)
    application = submit(org_admin, edition, booth=booth)
    services.application_withdraw(application=application, by=org_admin[1])
    booth.refresh_from_db()
    application.refresh_from_db()
    assert (application.state, booth.state) == ("withdrawn", "available")


def test_application_approve_creates_exhibitor_and_assigns_picked_booth(
    org_admin, edition, hall, organiser, field
):
    booth = BoothFactory(hall=hall)
    application = submit(org_admin, edition, booth=booth, fields=[field])
    mail.outbox.clear()
    services.application_approve(application=application, by=organiser)
    exhibitor = Exhibitor.objects.get()
    booth.refresh_from_db()
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED
    assert (exhibitor.organisation, exhibitor.application, exhibitor.description_en) == (
        org_admin[0],
        application,
        "Profile",
    )
    assert list(exhibitor.fields.all()) == [field]
    assert (booth.state, booth.exhibitor) == (Booth.State.ASSIGNED, exhibitor)
    assert sorted(m.subject for m in mail.outbox) == [
        "[CIEP] Application approved: " + org_admin[0].name_en,
        f"[CIEP] Your booth: {booth.code}",
    ]


def test_application_approve_twice_is_refused(org_admin, edition, organiser):
    application = submit(org_admin, edition)
    services.application_approve(application=application, by=organiser)
    with pytest.raises(ValidationError, match="awaiting a decision"):
        services.application_approve(application=application, by=organiser)


def test_application_reject_needs_a_reason(org_admin, edition, organiser):
    application = submit(org_admin, edition)
    with pytest.raises(ValidationError):
        services.application_reject(application=application, by=organiser, note="  ")
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


def test_application_reject_frees_booth_and_emails_reason(org_admin, edition, hall, organiser):
    booth = BoothFactory(hall=hall)
    application = submit(org_admin, edition, booth=booth)
    mail.outbox.clear()
    services.application_reject(application=application, by=organiser, note="Hall is full.")
    booth.refresh_from_db()
    assert booth.state == Booth.State.AVAILABLE
    assert len(mail.outbox) == 1
    assert "Hall is full." in mail.outbox[0].body
    assert mail.outbox[0].subject == f"[CIEP] Application not accepted: {org_admin[0].name_en}"


# --- Booth assignment -----------------------------------------------------------------------


def test_booth_assign_to_exhibitor(hall, organiser):
    booth = BoothFactory(hall=hall)
    exhibitor, staff = exhibitor_with_staff(edition=hall.edition)
    services.booth_assign(booth=booth, exhibitor=exhibitor, by=organiser)
    booth.refresh_from_db()
    assert (booth.state, booth.exhibitor) == (Booth.State.ASSIGNED, exhibitor)
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_booth_assign_taken_booth_is_refused(hall, organiser):
    booth = BoothFactory(hall=hall)
    first = ExhibitorFactory(edition=hall.edition)
    second = ExhibitorFactory(edition=hall.edition)
    services.booth_assign(booth=booth, exhibitor=first, by=organiser)
    with pytest.raises(ValidationError, match="has just been assigned"):
        services.booth_assign(booth=booth, exhibitor=second, by=organiser)
    booth.refresh_from_db()
    assert booth.exhibitor == first


def test_booth_assign_reserved_for_another_applicant_is_refused(org_admin, hall, organiser):
    booth = BoothFactory(hall=hall)
    submit(org_admin, hall.edition, booth=booth)
    other = ExhibitorFactory(edition=hall.edition)
    with pytest.raises(ValidationError, match="reserved by another applicant"):
        services.booth_assign(booth=booth, exhibitor=other, by=organiser)


def test_booth_assign_second_booth_to_same_exhibitor_is_refused(hall, organiser):
    exhibitor = ExhibitorFactory(edition=hall.edition)
    services.booth_assign(booth=BoothFactory(hall=hall), exhibitor=exhibitor, by=organiser)
    with pytest.raises(ValidationError, match="already has a booth"):
        services.booth_assign(booth=BoothFactory(hall=hall), exhibitor=exhibitor, by=organiser)


def test_booth_assign_from_another_edition_is_refused(hall, organiser):
    exhibitor = ExhibitorFactory()
    with pytest.raises(ValidationError, match="another edition"):
        services.booth_assign(booth=BoothFactory(hall=hall), exhibitor=exhibitor, by=organiser)


def test_standard_booth_cannot_be_assigned_to_a_delegation(hall, organiser):
    delegation = DelegationFactory(edition=hall.edition)
    with pytest.raises(ValidationError, match="Only a pavilion"):
        services.booth_assign(booth=BoothFactory(hall=hall), delegation=delegation, by=organiser)


def test_booth_release_makes_booth_available_and_empties_pavilion(hall, organiser):
    delegation = DelegationFactory(edition=hall.edition)
    pavilion = BoothFactory(hall=hall, kind=Booth.Kind.PAVILION, size_m2=200)
    services.booth_assign(booth=pavilion, delegation=delegation, by=organiser)
    placed = ExhibitorFactory(edition=hall.edition, pavilion=pavilion, delegation=delegation)
    services.booth_release(booth=pavilion, by=organiser)
    pavilion.refresh_from_db()
    placed.refresh_from_db()
    assert (pavilion.state, pavilion.delegation, placed.pavilion) == ("available", None, None)


def test_booth_release_of_available_booth_is_refused(hall, organiser):
    with pytest.raises(ValidationError, match="already available"):
        services.booth_release(booth=BoothFactory(hall=hall), by=organiser)


def test_pavilion_place_makes_member_organisation_an_exhibitor(hall, organiser):
    head = DelegationMemberFactory(delegation__edition=hall.edition, role="head")
    delegation = head.delegation
    member_org = OrganisationFactory()
    delegation.organisations.add(member_org)
    pavilion = BoothFactory(hall=hall, kind=Booth.Kind.PAVILION)
    services.booth_assign(booth=pavilion, delegation=delegation, by=organiser)
    exhibitor = services.pavilion_place(booth=pavilion, organisation=member_org, by=head.user)
    assert (exhibitor.edition, exhibitor.pavilion, exhibitor.delegation) == (
        hall.edition,
        pavilion,
        delegation,
    )
    assert exhibitor.location == pavilion


def test_pavilion_place_refuses_outsiders(hall, organiser):
    head = DelegationMemberFactory(delegation__edition=hall.edition, role="head")
    pavilion = BoothFactory(hall=hall, kind=Booth.Kind.PAVILION)
    services.booth_assign(booth=pavilion, delegation=head.delegation, by=organiser)
    with pytest.raises(ValidationError, match="not a member"):
        services.pavilion_place(booth=pavilion, organisation=OrganisationFactory(), by=head.user)
    with pytest.raises(PermissionDenied):
        services.pavilion_place(
            booth=pavilion, organisation=OrganisationFactory(), by=UserFactory()
        )


# --- Slots ----------------------------------------------------------------------------------


def future(hours=24):
    return timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours)


def test_slot_publish_by_staff(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    slot = services.slot_publish(
        exhibitor=exhibitor,
        by=staff,
        starts_at=future(),
        duration_minutes=30,
        mode=Slot.Mode.ON_SITE,
        meeting_link="https://ignored.example.org",
    )
    assert (slot.mode, slot.meeting_link) == ("on_site", "")


def test_slot_publish_in_the_past_is_refused(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    with pytest.raises(ValidationError) as error:
        services.slot_publish(
            exhibitor=exhibitor, by=staff, starts_at=future(-1), duration_minutes=30, mode="on_site"
        )
    assert error.value.message_dict == {"starts_at": ["Choose a time in the future."]}
    assert Slot.objects.count() == 0


def test_slot_publish_online_without_link_is_refused(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    with pytest.raises(ValidationError) as error:
        services.slot_publish(
            exhibitor=exhibitor, by=staff, starts_at=future(), duration_minutes=30, mode="online"
        )
    assert list(error.value.message_dict) == ["meeting_link"]


def test_slot_publish_overlapping_is_refused(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    start = future()
    services.slot_publish(
        exhibitor=exhibitor, by=staff, starts_at=start, duration_minutes=60, mode="on_site"
    )
    with pytest.raises(ValidationError, match="overlaps"):
        services.slot_publish(
            exhibitor=exhibitor,
            by=staff,
            starts_at=start + datetime.timedelta(minutes=30),
            duration_minutes=30,
            mode="on_site",
        )
    assert Slot.objects.count() == 1


def test_slot_publish_by_outsider_is_denied(edition, user):
    exhibitor = ExhibitorFactory(edition=edition)
    with pytest.raises(PermissionDenied):
        services.slot_publish(
            exhibitor=exhibitor, by=user, starts_at=future(), duration_minutes=30, mode="on_site"
        )


def test_slot_withdraw_held_slot_is_refused(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(slot__exhibitor=exhibitor)
    with pytest.raises(ValidationError, match="holds this slot"):
        services.slot_withdraw(slot=meeting.slot, by=staff)


# --- Meetings -------------------------------------------------------------------------------


def test_meeting_request_holds_the_slot_and_emails_staff(edition, user):
    exhibitor, staff = exhibitor_with_staff(edition)
    slot = SlotFactory(exhibitor=exhibitor, starts_at=future(72))
    meeting = services.meeting_request(slot=slot, by=user, languages="English, 中文", message="Hi")
    assert meeting.state == Meeting.State.REQUESTED
    assert meeting.hold_until == pytest.approx(
        timezone.now() + services.HOLD_PERIOD, abs=datetime.timedelta(seconds=5)
    )
    assert (meeting.starts_at, meeting.ends_at) == (slot.starts_at, slot.ends_at)
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_meeting_hold_never_outlasts_the_slot_start(edition, user):
    slot = SlotFactory(exhibitor__edition=edition, starts_at=future(2))
    meeting = services.meeting_request(slot=slot, by=user, languages="English")
    assert meeting.hold_until == slot.starts_at


def test_meeting_request_for_taken_slot_is_refused_and_nothing_saved(edition, user):
    meeting = MeetingFactory(slot__exhibitor__edition=edition)
    with pytest.raises(ValidationError, match="just been taken"):
        services.meeting_request(slot=meeting.slot, by=user, languages="English")
    assert Meeting.objects.count() == 1


def test_meeting_request_after_hold_lapsed_takes_the_slot(edition, user):
    stale = MeetingFactory(hold_until=timezone.now() - datetime.timedelta(minutes=1))
    meeting = services.meeting_request(slot=stale.slot, by=user, languages="English")
    stale.refresh_from_db()
    assert (stale.state, meeting.state) == (Meeting.State.LAPSED, Meeting.State.REQUESTED)


def test_meeting_request_overlapping_own_meeting_is_refused(edition, user):
    start = future(30)
    MeetingFactory(requester=user, slot__starts_at=start, slot__duration_minutes=60)
    other = SlotFactory(starts_at=start + datetime.timedelta(minutes=30))
    with pytest.raises(ValidationError, match="already have a meeting at this time"):
        services.meeting_request(slot=other, by=user, languages="English")


def test_meeting_request_with_own_organisation_is_refused(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    slot = SlotFactory(exhibitor=exhibitor)
    with pytest.raises(ValidationError, match="your own organisation"):
        services.meeting_request(slot=slot, by=staff, languages="English")


def test_meeting_request_for_past_slot_is_refused(edition, user):
    slot = SlotFactory(starts_at=future(-2))
    with pytest.raises(ValidationError, match="already started"):
        services.meeting_request(slot=slot, by=user, languages="English")


def test_meeting_request_without_languages_is_refused(user):
    with pytest.raises(ValidationError):
        services.meeting_request(slot=SlotFactory(), by=user, languages=" ")


def test_meeting_accept_by_staff_confirms_and_emails_requester(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(slot__exhibitor=exhibitor)
    services.meeting_accept(meeting=meeting, by=staff)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.hold_until) == (Meeting.State.ACCEPTED, None)
    assert [m.to for m in mail.outbox] == [[meeting.requester.email]]


def test_meeting_accept_by_requester_of_a_request_is_denied(edition):
    meeting = MeetingFactory()
    with pytest.raises(PermissionDenied):
        services.meeting_accept(meeting=meeting, by=meeting.requester)


def test_meeting_accept_after_hold_lapsed_is_refused(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(
        slot__exhibitor=exhibitor, hold_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="no longer be accepted"):
        services.meeting_accept(meeting=meeting, by=staff)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.LAPSED


def test_meeting_decline_with_note(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(slot__exhibitor=exhibitor)
    services.meeting_decline(meeting=meeting, by=staff, note="Fully booked.")
    meeting.refresh_from_db()
    assert (meeting.state, meeting.note) == (Meeting.State.DECLINED, "Fully booked.")
    assert "Fully booked." in mail.outbox[0].body


def test_meeting_propose_moves_request_to_another_slot_and_requester_accepts(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(slot__exhibitor=exhibitor)
    other = SlotFactory(exhibitor=exhibitor)
    proposal = services.meeting_propose(meeting=meeting, slot=other, by=staff, note="Later?")
    meeting.refresh_from_db()
    assert (meeting.state, proposal.state, proposal.slot, proposal.replaces) == (
        Meeting.State.DECLINED,
        Meeting.State.PROPOSED,
        other,
        meeting,
    )
    services.meeting_accept(meeting=proposal, by=meeting.requester)
    proposal.refresh_from_db()
    assert proposal.state == Meeting.State.ACCEPTED


def test_meeting_propose_another_exhibitors_slot_is_refused(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(slot__exhibitor=exhibitor)
    with pytest.raises(ValidationError):
        services.meeting_propose(meeting=meeting, slot=SlotFactory(), by=staff)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.REQUESTED


def test_meeting_cancel_by_requester_frees_slot(edition, user):
    meeting = MeetingFactory(state=Meeting.State.ACCEPTED, hold_until=None)
    services.meeting_cancel(meeting=meeting, by=meeting.requester)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CANCELLED
    again = services.meeting_request(slot=meeting.slot, by=user, languages="English")
    assert again.state == Meeting.State.REQUESTED


def test_meeting_cancel_by_someone_else_is_denied(user):
    meeting = MeetingFactory()
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=meeting, by=user)


def test_database_refuses_two_live_meetings_on_one_slot():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(slot=meeting.slot)


def test_meetings_lapse_marks_only_expired_holds():
    expired = MeetingFactory(hold_until=timezone.now() - datetime.timedelta(minutes=5))
    live = MeetingFactory()
    assert services.meetings_lapse() == 1
    expired.refresh_from_db()
    live.refresh_from_db()
    assert (expired.state, live.state) == (Meeting.State.LAPSED, Meeting.State.REQUESTED)


def test_exhibitor_booth_page_is_edited_by_its_organisation_only():
    exhibitor = ExhibitorFactory()
    member = MembershipFactory(organisation=exhibitor.organisation, role="staff")
    with pytest.raises(PermissionDenied):
        services.exhibitor_update(
            exhibitor=exhibitor, data={"description_en": "Ours"}, by=UserFactory()
        )
    with pytest.raises(PermissionDenied):
        services.exhibitor_content_add(
            exhibitor=exhibitor,
            model=Product,
            data={"name_en": "Robot", "name_zh": "", "summary_en": "", "summary_zh": ""},
            by=UserFactory(),
        )
    product = services.exhibitor_content_add(
        exhibitor=exhibitor,
        model=Product,
        data={"name_en": "Robot", "name_zh": "", "summary_en": "", "summary_zh": ""},
        by=member.user,
    )
    with pytest.raises(PermissionDenied):
        services.exhibitor_content_remove(item=product, by=UserFactory())
    services.exhibitor_content_remove(item=product, by=member.user)
    assert list(exhibitor.products.all()) == []
