import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ciep.models import DelegationMember
from forums import services
from forums.models import Bookmark, CalendarFeed, Feedback, Registration, Session, SessionSpeaker
from tests.factories import DelegationFactory, DelegationMemberFactory, UserFactory
from tests.forums.factories import (
    DelegationQuotaFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(mailoutbox):
    return mailoutbox


def test_registration_create_with_free_seat_is_confirmed_and_emails_qr(user, emails):
    session = SessionFactory(capacity=2)
    registration = services.registration_create(session=session, user=user)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.attendance == "on_site"
    assert registration.registered_by == user
    assert len(registration.code) == 10
    assert [mail.to for mail in emails] == [[user.email]]
    assert emails[0].subject == f"[CIEP] You are registered: {session.title_en}"
    assert registration.code in emails[0].body
    assert [(name, mimetype) for name, _content, mimetype in emails[0].attachments] == [
        (f"ciep-{registration.code}.png", "image/png")
    ]
    assert emails[0].attachments[0][1].startswith(b"\x89PNG")


def test_registration_create_when_full_joins_waiting_list(emails):
    session = SessionFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    services.registration_create(session=session, user=first)
    waiting = services.registration_create(session=session, user=second)
    assert waiting.status == Registration.Status.WAITING
    assert emails[1].subject == f"[CIEP] You are on the waiting list: {session.title_en}"
    assert emails[1].attachments == []


def test_registration_create_with_zero_capacity_waits(user):
    session = SessionFactory(capacity=0)
    assert services.registration_create(session=session, user=user).status == "waiting"


def test_registration_create_unlimited_capacity_confirms_everyone():
    session = SessionFactory(capacity=None)
    statuses = {
        services.registration_create(session=session, user=UserFactory()).status for _ in range(5)
    }
    assert statuses == {"confirmed"}


def test_registration_create_hybrid_online_is_not_limited():
    session = SessionFactory(capacity=1, format="hybrid")
    services.registration_create(session=session, user=UserFactory(), attendance="on_site")
    online = services.registration_create(session=session, user=UserFactory(), attendance="online")
    on_site = services.registration_create(
        session=session, user=UserFactory(), attendance="on_site"
    )
    assert (online.status, on_site.status) == ("confirmed", "waiting")


def test_registration_create_online_session_defaults_to_online(user):
    session = SessionFactory(format="online")
    assert services.registration_create(session=session, user=user).attendance == "online"


def test_registration_create_refuses_attendance_the_session_does_not_offer(user):
    session = SessionFactory(format="offline")
    with pytest.raises(ValidationError) as error:
        services.registration_create(session=session, user=user, attendance="online")
    assert error.value.message_dict == {"attendance": ["This session cannot be followed online."]}
    assert Registration.objects.count() == 0


def test_registration_create_twice_is_refused(user):
    session = SessionFactory()
    services.registration_create(session=session, user=user)
    with pytest.raises(ValidationError) as error:
        services.registration_create(session=session, user=user)
    assert error.value.messages == [f"{user.name} is already registered for this session."]
    assert Registration.objects.count() == 1


def test_registration_create_after_cancelling_is_allowed(user):
    session = SessionFactory()
    first = services.registration_create(session=session, user=user)
    services.registration_cancel(registration=first, by=user)
    again = services.registration_create(session=session, user=user)
    assert again.status == "confirmed"
    assert Registration.objects.filter(session=session).count() == 2


def test_registration_create_closes_at_the_start(user):
    session = SessionFactory(start=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        services.registration_create(session=session, user=user)
    assert error.value.messages == ["Registration for this session is closed."]
    assert Registration.objects.count() == 0


def test_registration_create_refuses_cancelled_session(user):
    session = SessionFactory(status=Session.Status.CANCELLED)
    with pytest.raises(ValidationError):
        services.registration_create(session=session, user=user)


def test_registration_cancel_promotes_first_waiting_and_emails(emails):
    session = SessionFactory(capacity=1)
    holder, first_waiting, second_waiting = UserFactory(), UserFactory(), UserFactory()
    seat = services.registration_create(session=session, user=holder)
    waiting_1 = services.registration_create(session=session, user=first_waiting)
    waiting_2 = services.registration_create(session=session, user=second_waiting)
    emails.clear()

    promoted = services.registration_cancel(registration=seat, by=holder)

    assert promoted == [waiting_1]
    seat.refresh_from_db()
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert (seat.status, waiting_1.status, waiting_2.status) == (
        "cancelled",
        "confirmed",
        "waiting",
    )
    assert seat.cancelled_at is not None
    assert waiting_1.promoted_at is not None
    assert [mail.to for mail in emails] == [[first_waiting.email]]
    assert emails[0].subject == f"[CIEP] A seat has freed up: {session.title_en}"
    assert len(emails[0].attachments) == 1


def test_registration_cancel_of_waiting_promotes_nobody():
    session = SessionFactory(capacity=1)
    services.registration_create(session=session, user=UserFactory())
    waiting = services.registration_create(session=session, user=UserFactory())
    other = services.registration_create(session=session, user=UserFactory())
    assert services.registration_cancel(registration=waiting, by=waiting.user) == []
    other.refresh_from_db()
    assert other.status == "waiting"


def test_registration_cancel_by_someone_else_is_denied():
    registration = RegistrationFactory()
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, by=UserFactory())
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_registration_cancel_by_organiser_is_allowed(organiser):
    registration = RegistrationFactory()
    services.registration_cancel(registration=registration, by=organiser)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_registration_cancel_twice_is_refused():
    registration = RegistrationFactory(status="cancelled")
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=registration, by=registration.user)


def test_registration_promote_fills_raised_capacity():
    session = SessionFactory(capacity=1)
    services.registration_create(session=session, user=UserFactory())
    waiting = [services.registration_create(session=session, user=UserFactory()) for _ in range(3)]
    Session.objects.filter(pk=session.pk).update(capacity=3)
    promoted = services.registration_promote(session=session)
    assert promoted == waiting[:2]
    assert list(Registration.objects.filter(session=session).values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waiting",
    ]


def test_registration_check_in_refuses_anyone_but_organisers():
    registration = RegistrationFactory()
    with pytest.raises(PermissionDenied):
        services.registration_check_in(code=registration.code, by=UserFactory())
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_registration_check_in_accepts_a_code_once(organiser):
    registration = RegistrationFactory()
    checked = services.registration_check_in(code=f" {registration.code.lower()} ", by=organiser)
    assert checked == registration
    registration.refresh_from_db()
    assert registration.checked_in_by == organiser
    assert registration.checked_in_at is not None
    with pytest.raises(ValidationError) as error:
        services.registration_check_in(code=registration.code, by=organiser)
    assert error.value.message_dict["code"][0].startswith("This code has already been used")


def test_registration_check_in_refuses_forged_code(organiser):
    RegistrationFactory()
    with pytest.raises(ValidationError) as error:
        services.registration_check_in(code="FORGED1234", by=organiser)
    assert error.value.message_dict == {"code": ["No registration has this code."]}
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("cancelled", "This registration has been cancelled."),
        ("waiting", "This person is on the waiting list, not confirmed."),
    ],
)
def test_registration_check_in_refuses_unconfirmed(organiser, status, message):
    registration = RegistrationFactory(status=status)
    with pytest.raises(ValidationError) as error:
        services.registration_check_in(code=registration.code, by=organiser)
    assert error.value.message_dict == {"code": [message]}


@pytest.fixture
def delegation_group():
    session = SessionFactory(capacity=10)
    delegation = DelegationFactory(edition=session.edition)
    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user
    members = [DelegationMemberFactory(delegation=delegation).user for _ in range(3)]
    DelegationQuotaFactory(session=session, delegation=delegation, places=2)
    return session, delegation, head, members


def test_group_register_within_quota(delegation_group):
    session, delegation, head, members = delegation_group
    registrations = services.group_register(
        session=session, delegation=delegation, users=members[:2], by=head
    )
    assert [(r.user, r.delegation, r.registered_by, r.status) for r in registrations] == [
        (members[0], delegation, head, "confirmed"),
        (members[1], delegation, head, "confirmed"),
    ]


def test_group_register_beyond_quota_saves_nothing(delegation_group):
    session, delegation, head, members = delegation_group
    with pytest.raises(ValidationError) as error:
        services.group_register(session=session, delegation=delegation, users=members, by=head)
    assert error.value.message_dict == {
        "members": ["Your delegation has 2 of 2 places left for this session."]
    }
    assert Registration.objects.count() == 0


def test_group_register_counts_earlier_group_registrations(delegation_group):
    session, delegation, head, members = delegation_group
    services.group_register(session=session, delegation=delegation, users=members[:1], by=head)
    with pytest.raises(ValidationError):
        services.group_register(session=session, delegation=delegation, users=members[1:], by=head)
    assert Registration.objects.count() == 1


def test_group_register_by_representative_is_denied(delegation_group):
    session, delegation, _head, members = delegation_group
    with pytest.raises(PermissionDenied):
        services.group_register(
            session=session, delegation=delegation, users=members[:1], by=members[0]
        )


def test_group_register_of_outsider_is_refused(delegation_group):
    session, delegation, head, _members = delegation_group
    with pytest.raises(ValidationError) as error:
        services.group_register(
            session=session, delegation=delegation, users=[UserFactory()], by=head
        )
    assert error.value.message_dict == {
        "members": ["Only members of the delegation can be registered."]
    }


def test_group_register_without_quota_is_refused(delegation_group):
    _session, delegation, head, members = delegation_group
    other_session = SessionFactory()
    with pytest.raises(ValidationError) as error:
        services.group_register(
            session=other_session, delegation=delegation, users=members[:1], by=head
        )
    assert error.value.messages == ["The organisers have not given your delegation places here."]


def test_bookmark_toggle_sets_and_removes(user):
    session = SessionFactory()
    assert services.bookmark_toggle(user=user, session=session) is True
    assert list(Bookmark.objects.values_list("user", "session")) == [(user.pk, session.pk)]
    assert services.bookmark_toggle(user=user, session=session) is False
    assert Bookmark.objects.count() == 0


def test_calendar_feed_reset_changes_token(user):
    old = services.calendar_feed_get(user=user).token
    new = services.calendar_feed_reset(user=user).token
    assert old != new
    assert CalendarFeed.objects.get(user=user).token == new


def test_feedback_submit_after_session_by_participant(user):
    session = SessionFactory(start=in_days(-2), end=in_days(-2, hour=12))
    RegistrationFactory(session=session, user=user)
    services.feedback_submit(session=session, user=user, rating=4, comment=" Useful ")
    services.feedback_submit(session=session, user=user, rating=5, comment="Very useful")
    assert list(Feedback.objects.values_list("rating", "comment")) == [(5, "Very useful")]


def test_feedback_submit_before_the_end_is_refused(user):
    session = SessionFactory()
    RegistrationFactory(session=session, user=user)
    with pytest.raises(ValidationError):
        services.feedback_submit(session=session, user=user, rating=4)
    assert Feedback.objects.count() == 0


def test_feedback_submit_by_non_participant_is_denied(user):
    session = SessionFactory(start=in_days(-2), end=in_days(-2, hour=12))
    with pytest.raises(PermissionDenied):
        services.feedback_submit(session=session, user=user, rating=4)


def test_session_view_record_counts_live_then_replay():
    now = timezone.now()
    session = SessionFactory(
        start=now - datetime.timedelta(minutes=5),
        end=now + datetime.timedelta(hours=1),
        stream_url="https://live.example/1",
        replay_url="https://replay.example/1",
    )
    assert services.session_view_record(session=session) == "https://live.example/1"
    Session.objects.filter(pk=session.pk).update(
        start=now - datetime.timedelta(hours=2), end=now - datetime.timedelta(hours=1)
    )
    session.refresh_from_db()
    assert services.session_view_record(session=session) == "https://replay.example/1"
    session.refresh_from_db()
    assert (session.live_views, session.replay_views) == (1, 1)


def test_session_view_record_before_start_is_refused():
    session = SessionFactory(stream_url="https://live.example/1")
    with pytest.raises(ValidationError):
        services.session_view_record(session=session)


def test_session_duplicate_copies_speakers_not_registrations(organiser):
    role = SessionSpeakerFactory(role="keynote")
    RegistrationFactory(session=role.session)
    with pytest.raises(PermissionDenied):
        services.session_duplicate(session=role.session, by=UserFactory())
    copy = services.session_duplicate(session=role.session, by=organiser)
    assert copy.pk != role.session.pk
    assert copy.title_en == f"{role.session.title_en} (copy)"
    assert list(SessionSpeaker.objects.filter(session=copy).values_list("speaker", "role")) == [
        (role.speaker_id, "keynote")
    ]
    assert copy.registrations.count() == 0
