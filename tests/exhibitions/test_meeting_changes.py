"""A meeting's slot moved or called off tells both parties, each once, in their language."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from exhibitions import services
from exhibitions.models import Meeting
from tests.factories import MembershipFactory, UserFactory

from .factories import MeetingFactory, SlotFactory, exhibitor_with_staff

pytestmark = pytest.mark.django_db


def _accepted(edition, **kwargs):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(
        slot__exhibitor=exhibitor,
        state=Meeting.State.ACCEPTED,
        hold_until=None,
        requester__preferred_language="zh",
        **kwargs,
    )
    mail.outbox.clear()
    return exhibitor, staff, meeting


def test_slot_move_moves_meeting_and_mails_both_parties_once(edition):
    exhibitor, staff, meeting = _accepted(edition)
    second = MembershipFactory(organisation=exhibitor.organisation).user
    later = meeting.starts_at + datetime.timedelta(days=1)
    services.slot_move(slot=meeting.slot, by=staff, starts_at=later)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == (later, later + datetime.timedelta(minutes=30))
    assert meeting.slot.starts_at == later
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [staff.email, second.email, meeting.requester.email]
    )
    chinese = next(m for m in mail.outbox if m.to == [meeting.requester.email])
    assert "洽谈已改期" in chinese.subject


def test_slot_move_refused_to_others_into_the_past_and_onto_clashes(edition):
    exhibitor, staff, meeting = _accepted(edition)
    start = meeting.starts_at
    with pytest.raises(PermissionDenied):
        services.slot_move(slot=meeting.slot, by=meeting.requester, starts_at=start)
    with pytest.raises(ValidationError, match="future"):
        services.slot_move(
            slot=meeting.slot, by=staff, starts_at=timezone.now() - datetime.timedelta(hours=1)
        )
    other = SlotFactory(exhibitor=exhibitor)
    with pytest.raises(ValidationError, match="overlaps another of your slots"):
        services.slot_move(slot=meeting.slot, by=staff, starts_at=other.starts_at)
    busy = MeetingFactory(
        requester=meeting.requester, state=Meeting.State.ACCEPTED, hold_until=None
    )
    with pytest.raises(ValidationError, match="another meeting at this time"):
        services.slot_move(slot=meeting.slot, by=staff, starts_at=busy.starts_at)
    meeting.refresh_from_db()
    assert meeting.starts_at == start
    assert len(mail.outbox) == 0


def test_meeting_call_off_mails_both_and_frees_slot(edition):
    exhibitor, staff, meeting = _accepted(edition)
    services.meeting_call_off(meeting=meeting, by=staff, note="Our engineer is ill.")
    meeting.refresh_from_db()
    assert (meeting.state, meeting.note) == (Meeting.State.CANCELLED, "Our engineer is ill.")
    assert meeting.calendar_status == "CANCELLED"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff.email, meeting.requester.email])
    again = services.meeting_request(slot=meeting.slot, by=UserFactory(), languages="English")
    assert again.state == Meeting.State.REQUESTED


def test_meeting_call_off_refused_to_requester_and_for_requests(edition):
    exhibitor, staff, meeting = _accepted(edition)
    with pytest.raises(PermissionDenied):
        services.meeting_call_off(meeting=meeting, by=meeting.requester)
    request = MeetingFactory(slot__exhibitor=exhibitor)
    with pytest.raises(ValidationError):
        services.meeting_call_off(meeting=request, by=staff)
    assert len(mail.outbox) == 0


def test_staff_move_and_call_off_in_the_browser(client, edition):
    exhibitor, staff, meeting = _accepted(edition)
    client.force_login(staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Move the meeting" in page and "Call the meeting off" in page
    later = timezone.localtime(meeting.starts_at + datetime.timedelta(days=1))
    response = client.post(
        reverse("exhibitions:meeting_action", args=[meeting.pk, "move"]),
        {"move-starts_at": later.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "The meeting has moved" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at == later.replace(second=0)
    response = client.post(
        reverse("exhibitions:meeting_action", args=[meeting.pk, "move"]),
        {"move-starts_at": "tomorrow"},
        follow=True,
    )
    assert "Give the new start as a date and a time." in response.content.decode()
    client.post(
        reverse("exhibitions:meeting_action", args=[meeting.pk, "call_off"]),
        {"call_off-note": "Sorry"},
    )
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CANCELLED
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert ".ics" not in page


def test_requester_sees_no_move_or_call_off_and_is_refused(client, edition):
    _exhibitor, _staff, meeting = _accepted(edition)
    client.force_login(meeting.requester)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Move the meeting" not in page and "Call the meeting off" not in page
    for action, data in (("move", {"move-starts_at": "2030-01-01T10:00"}), ("call_off", {})):
        url = reverse("exhibitions:meeting_action", args=[meeting.pk, action])
        assert client.post(url, data).status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.ACCEPTED
