"""Interpreters hear of their assignments (and of every change to them); the parties hear
that an interpreter comes. Each mail once, in its recipient's language, after commit."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from icalendar import Calendar

from exhibitions import services
from exhibitions.models import Interpreter, Meeting
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory

from .factories import BoothFactory, MeetingFactory, SlotFactory, exhibitor_with_staff

pytestmark = pytest.mark.django_db


def _meeting(edition, *, days=20, mode="online", state=Meeting.State.ACCEPTED):
    exhibitor, staff = exhibitor_with_staff(edition, languages="zh")
    start = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=days)
    slot = SlotFactory(
        exhibitor=exhibitor,
        starts_at=start,
        mode=mode,
        meeting_link="https://meet.example.org/room-7" if mode == "online" else "",
    )
    meeting = MeetingFactory(
        slot=slot,
        languages="en",
        state=state,
        hold_until=None if state == Meeting.State.ACCEPTED else start,
        requester__preferred_language="zh",
    )
    mail.outbox.clear()
    return meeting, staff


def _interpreter(name="Anna Li", language="zh", email="anna@interpreters.example"):
    return Interpreter.objects.create(
        name=name, email=email, languages="en,zh", preferred_language=language
    )


def _event(message):
    (filename, content, mimetype) = message.attachments[0]
    assert (filename.endswith(".ics"), mimetype) == (True, "text/calendar")
    return next(iter(Calendar.from_ical(content).walk("VEVENT")))


def _to(message):
    return message.to[0]


def test_assigning_mails_interpreter_with_time_place_and_calendar_and_tells_parties(
    organiser, edition
):
    meeting, staff = _meeting(edition)
    interpreter = _interpreter(language="en")
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    assert sorted(_to(m) for m in mail.outbox) == sorted(
        [interpreter.email, staff.email, meeting.requester.email]
    )
    sent = next(m for m in mail.outbox if _to(m) == interpreter.email)
    assert sent.subject.startswith("[CIEP] Interpreting assignment: negotiation on")
    when = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    assert "Dear Anna Li," in sent.body
    assert meeting.slot.exhibitor.organisation.name_en in sent.body
    assert f"on {when} (China time)" in sent.body
    assert "Online: https://meet.example.org/room-7" in sent.body
    assert "The requester speaks: English" in sent.body
    assert "The exhibitor speaks: Chinese" in sent.body
    event = _event(sent)
    assert (str(event["uid"]), str(event["status"])) == (f"meeting-{meeting.pk}@ciep", "CONFIRMED")
    assert event.decoded("dtstart") == meeting.starts_at
    assert str(event["location"]) == "https://meet.example.org/room-7"
    assert "url" not in event  # the meeting's page is the parties', not the interpreter's
    requester_mail = next(m for m in mail.outbox if _to(m) == meeting.requester.email)
    assert "Anna Li" in requester_mail.body
    assert "翻译" in requester_mail.subject
    staff_mail = next(m for m in mail.outbox if _to(m) == staff.email)
    assert "Anna Li, an interpreter of the organisers, will interpret" in staff_mail.body


def test_interpreter_mail_in_their_language_with_the_booth(organiser, edition):
    meeting, _staff = _meeting(edition, mode="on_site")
    BoothFactory(
        hall__edition=edition, code="C-12", state="assigned", exhibitor=meeting.slot.exhibitor
    )
    interpreter = _interpreter(language="zh")
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    sent = next(m for m in mail.outbox if _to(m) == interpreter.email)
    assert "翻译" in sent.subject
    assert "C-12" in sent.body
    assert "英语" in sent.body
    assert str(_event(sent)["location"]) == "CIEP booth C-12"


def test_assigning_the_same_interpreter_again_mails_nobody(organiser, edition):
    meeting, _staff = _meeting(edition)
    interpreter = _interpreter()
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    mail.outbox.clear()
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    assert len(mail.outbox) == 0


def test_reassigning_tells_the_old_interpreter_with_a_cancelled_event(organiser, edition):
    meeting, staff = _meeting(edition)
    first, second = _interpreter(), _interpreter(name="Ben Wu", email="ben@example.org")
    services.interpreter_assign(meeting=meeting, interpreter=first, by=organiser)
    mail.outbox.clear()
    services.interpreter_assign(meeting=meeting, interpreter=second, by=organiser)
    assert sorted(_to(m) for m in mail.outbox) == sorted(
        [first.email, second.email, staff.email, meeting.requester.email]
    )
    old = next(m for m in mail.outbox if _to(m) == first.email)
    new = next(m for m in mail.outbox if _to(m) == second.email)
    assert (str(_event(old)["status"]), str(_event(new)["status"])) == ("CANCELLED", "CONFIRMED")
    assert _event(old)["uid"] == _event(new)["uid"]


def test_removing_the_interpreter_tells_them_and_the_parties(organiser, edition):
    meeting, staff = _meeting(edition)
    interpreter = _interpreter(language="en")
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    mail.outbox.clear()
    services.interpreter_assign(meeting=meeting, interpreter=None, by=organiser)
    meeting.refresh_from_db()
    assert meeting.interpreter is None
    assert sorted(_to(m) for m in mail.outbox) == sorted(
        [interpreter.email, staff.email, meeting.requester.email]
    )
    sent = next(m for m in mail.outbox if _to(m) == interpreter.email)
    assert "you need not come" in sent.body
    assert str(_event(sent)["status"]) == "CANCELLED"
    staff_mail = next(m for m in mail.outbox if _to(m) == staff.email)
    assert "No interpreter is assigned any more" in staff_mail.body


@pytest.mark.parametrize("how", ["requester_cancels", "exhibitor_calls_off"])
def test_a_cancelled_meeting_tells_its_interpreter(organiser, edition, how):
    meeting, staff = _meeting(edition)
    interpreter = _interpreter(language="en")
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    mail.outbox.clear()
    if how == "requester_cancels":
        services.meeting_cancel(meeting=meeting, by=meeting.requester)
    else:
        services.meeting_call_off(meeting=meeting, by=staff)
    to_interpreter = [m for m in mail.outbox if _to(m) == interpreter.email]
    assert len(to_interpreter) == 1
    assert "has been cancelled" in to_interpreter[0].body
    assert str(_event(to_interpreter[0])["status"]) == "CANCELLED"


def test_a_declined_request_tells_its_interpreter(organiser, edition):
    meeting, staff = _meeting(edition, state=Meeting.State.REQUESTED)
    interpreter = _interpreter(language="en")
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    mail.outbox.clear()
    services.meeting_decline(meeting=meeting, by=staff, note="Fully booked.")
    assert [_to(m) for m in mail.outbox if _to(m) == interpreter.email] == [interpreter.email]


def test_a_moved_meeting_tells_its_interpreter_the_new_time(organiser, edition):
    meeting, staff = _meeting(edition)
    interpreter = _interpreter(language="en")
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    mail.outbox.clear()
    later = meeting.starts_at + datetime.timedelta(days=1)
    services.slot_move(slot=meeting.slot, by=staff, starts_at=later)
    sent = [m for m in mail.outbox if _to(m) == interpreter.email]
    assert len(sent) == 1
    assert "has moved to" in sent[0].body
    event = _event(sent[0])
    assert (event.decoded("dtstart"), str(event["status"])) == (later, "CONFIRMED")


def test_refused_assignment_mails_nobody(organiser, user, edition):
    meeting, _staff = _meeting(edition)
    french = Interpreter.objects.create(name="Luc", email="luc@example.org", languages="fr")
    with pytest.raises(PermissionDenied):
        services.interpreter_assign(meeting=meeting, interpreter=_interpreter(), by=user)
    with pytest.raises(ValidationError):
        services.interpreter_assign(meeting=meeting, interpreter=french, by=organiser)
    assert len(mail.outbox) == 0


def test_interpreter_without_address_is_not_mailed_but_the_parties_are(organiser, edition):
    meeting, staff = _meeting(edition)
    services.interpreter_assign(meeting=meeting, interpreter=_interpreter(email=""), by=organiser)
    assert sorted(_to(m) for m in mail.outbox) == sorted([staff.email, meeting.requester.email])


def test_admin_removes_the_interpreter(client, organiser, edition):
    meeting, _staff = _meeting(edition)
    interpreter = _interpreter()
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    mail.outbox.clear()
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:exhibitions_meeting_changelist"),
        {"action": "remove_interpreter", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert "The interpreter has been removed from 1 meeting." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.interpreter is None
    assert [m for m in mail.outbox if _to(m) == interpreter.email] != []


def test_admin_warns_when_the_interpreter_has_no_address(client, organiser, edition):
    meeting, _staff = _meeting(edition)
    interpreter = _interpreter(email="")
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:exhibitions_meeting_changelist"),
        {
            "action": "assign_interpreter",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "interpreter": interpreter.pk,
        },
        follow=True,
    )
    assert "Anna Li has no email address: tell them yourself." in response.content.decode()


def test_admin_removal_refused_to_non_organisers(client, edition):
    meeting, staff = _meeting(edition)
    client.force_login(UserFactory(is_staff=True))
    response = client.post(
        reverse("admin:exhibitions_meeting_changelist"),
        {"action": "remove_interpreter", "_selected_action": [meeting.pk]},
    )
    assert response.status_code in (302, 403)
    assert len(mail.outbox) == 0


def test_an_interpreter_assigned_to_a_request_hears_when_it_is_accepted(organiser, edition):
    meeting, staff = _meeting(edition, state=Meeting.State.REQUESTED)
    interpreter = _interpreter(language="en")
    services.interpreter_assign(meeting=meeting, interpreter=interpreter, by=organiser)
    first = next(m for m in mail.outbox if _to(m) == interpreter.email)
    assert "has not confirmed the meeting yet" in first.body
    assert str(_event(first)["status"]) == "TENTATIVE"
    mail.outbox.clear()
    services.meeting_accept(meeting=meeting, by=staff)
    sent = [m for m in mail.outbox if _to(m) == interpreter.email]
    assert len(sent) == 1
    assert sent[0].subject.startswith("[CIEP] Interpreting assignment confirmed")
    assert "has not confirmed" not in sent[0].body
    assert str(_event(sent[0])["status"]) == "CONFIRMED"


def test_no_interpreter_to_ask_for_once_one_is_assigned(client, organiser, edition):
    meeting, staff = _meeting(edition)
    services.interpreter_assign(meeting=meeting, interpreter=_interpreter(), by=organiser)
    for person in (meeting.requester, staff):
        client.force_login(person)
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert "Ask for an interpreter" not in page
        assert "Anna Li" in page


def test_asking_for_an_interpreter_refused_once_one_is_assigned(organiser, edition):
    meeting, _staff = _meeting(edition)
    services.interpreter_assign(meeting=meeting, interpreter=_interpreter(), by=organiser)
    with pytest.raises(ValidationError, match="already been asked for"):
        services.meeting_interpreter_request(meeting=meeting, by=meeting.requester)
