"""A meeting that stops happening, in any way, tells its interpreter once, in the language of
their mail, with the meeting as a CANCELLED .ics under its UID, after commit; a move the
interpreter cannot follow is refused."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from exhibitions import privacy, services
from exhibitions.models import Interpreter, Meeting
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory

from .factories import MeetingFactory, SlotFactory, exhibitor_with_staff

pytestmark = pytest.mark.django_db

INTERPRETER = "anna@interpreters.example"


def _meeting(edition, *, state, interpreted=True, language="zh", days=20):
    exhibitor, staff = exhibitor_with_staff(edition, languages="zh")
    start = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=days)
    slot = SlotFactory(exhibitor=exhibitor, starts_at=start)
    interpreter = Interpreter.objects.create(
        name="Anna Li", email=INTERPRETER, languages="en,zh", preferred_language=language
    )
    meeting = MeetingFactory(
        slot=slot,
        languages="en",
        state=state,
        hold_until=None if state == Meeting.State.ACCEPTED else start,
        interpreter=interpreter if interpreted else None,
    )
    return meeting, staff


def _to_interpreter():
    return [m for m in mail.outbox if m.to == [INTERPRETER]]


def _event(message):
    (_name, content, _mimetype) = message.attachments[0]
    return next(iter(Calendar.from_ical(content).walk("VEVENT")))


def _lapse(meeting, staff, client, organiser):
    Meeting.objects.filter(pk=meeting.pk).update(
        hold_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    services.meetings_lapse()


def _withdraw_after_lapse(meeting, staff, client, organiser):
    Meeting.objects.filter(pk=meeting.pk).update(
        hold_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    services.slot_withdraw(slot=meeting.slot, by=staff)


def _admin_delete(what):
    def run(meeting, staff, client, organiser):
        sign_in_with_second_factor(client, organiser)
        obj = meeting if what == "meeting" else meeting.slot
        response = client.post(
            reverse(f"admin:exhibitions_{what}_delete", args=[obj.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        assert not type(obj).objects.filter(pk=obj.pk).exists()

    return run


PATHS = {
    "exhibitor declines": (
        Meeting.State.REQUESTED,
        lambda m, staff, c, o: services.meeting_decline(meeting=m, by=staff, note="Full."),
    ),
    "exhibitor proposes another time": (
        Meeting.State.REQUESTED,
        lambda m, staff, c, o: services.meeting_propose(
            meeting=m,
            slot=SlotFactory(
                exhibitor=m.slot.exhibitor, starts_at=m.starts_at + datetime.timedelta(hours=2)
            ),
            by=staff,
        ),
    ),
    "requester declines the proposal": (
        Meeting.State.PROPOSED,
        lambda m, staff, c, o: services.meeting_decline(meeting=m, by=m.requester),
    ),
    "requester cancels a request": (
        Meeting.State.REQUESTED,
        lambda m, staff, c, o: services.meeting_cancel(meeting=m, by=m.requester),
    ),
    "requester cancels": (
        Meeting.State.ACCEPTED,
        lambda m, staff, c, o: services.meeting_cancel(meeting=m, by=m.requester),
    ),
    "exhibitor calls off": (
        Meeting.State.ACCEPTED,
        lambda m, staff, c, o: services.meeting_call_off(meeting=m, by=staff),
    ),
    "request lapses": (Meeting.State.REQUESTED, _lapse),
    "slot withdrawn once its request lapsed": (Meeting.State.REQUESTED, _withdraw_after_lapse),
    "requester erases their account": (
        Meeting.State.REQUESTED,
        lambda m, staff, c, o: privacy.erase_personal_data(
            user=m.requester, placeholder=UserFactory()
        ),
    ),
    "organiser deletes the meeting": (Meeting.State.ACCEPTED, _admin_delete("meeting")),
    "organiser deletes the slot": (Meeting.State.REQUESTED, _admin_delete("slot")),
}


@pytest.mark.parametrize("path", list(PATHS))
def test_every_end_of_a_meeting_tells_its_interpreter_once(
    path, client, organiser, edition, django_capture_on_commit_callbacks
):
    state, end = PATHS[path]
    meeting, staff = _meeting(edition, state=state)
    uid = f"meeting-{meeting.pk}@ciep"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        end(meeting, staff, client, organiser)
    sent = _to_interpreter()
    assert len(sent) == 1
    assert sent[0].subject.startswith("[CIEP] 翻译安排已取消：")
    assert "的洽谈已取消。" in sent[0].body
    event = _event(sent[0])
    assert (str(event["uid"]), str(event["status"])) == (uid, "CANCELLED")
    services.meetings_lapse()  # nothing left to lapse: nobody is told twice
    assert len(_to_interpreter()) == 1


@pytest.mark.parametrize("path", list(PATHS))
def test_a_meeting_without_interpreter_mails_no_interpreter(path, client, organiser, edition):
    state, end = PATHS[path]
    meeting, staff = _meeting(edition, state=state, interpreted=False)
    mail.outbox.clear()
    end(meeting, staff, client, organiser)
    assert _to_interpreter() == []


def test_the_interpreter_reads_it_in_english_when_that_is_their_language(edition):
    meeting, staff = _meeting(edition, state=Meeting.State.ACCEPTED, language="en")
    mail.outbox.clear()
    services.meeting_call_off(meeting=meeting, by=staff)
    (sent,) = _to_interpreter()
    assert sent.subject.startswith("[CIEP] Interpreting assignment cancelled: negotiation on")
    assert "that you were to interpret has been cancelled." in sent.body


@pytest.mark.parametrize(
    "path", ["requester cancels", "exhibitor calls off", "request lapses", "exhibitor declines"]
)
def test_nothing_reaches_the_interpreter_when_the_transaction_rolls_back(
    path, client, organiser, edition
):
    state, end = PATHS[path]
    meeting, staff = _meeting(edition, state=state)
    mail.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        end(meeting, staff, client, organiser)
        raise RuntimeError
    assert _to_interpreter() == []
    meeting.refresh_from_db()
    assert meeting.state == state


def test_lapsing_twice_tells_the_interpreter_once(edition):
    meeting, _staff = _meeting(edition, state=Meeting.State.REQUESTED)
    Meeting.objects.filter(pk=meeting.pk).update(
        hold_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()
    assert services.meetings_lapse(slot=meeting.slot) == 1
    assert services.meetings_lapse(requester=meeting.requester) == 0
    assert len(_to_interpreter()) == 1


def test_the_periodic_task_lapses_requests(edition):
    from exhibitions import tasks

    meeting, _staff = _meeting(edition, state=Meeting.State.REQUESTED)
    Meeting.objects.filter(pk=meeting.pk).update(
        hold_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()
    assert tasks.meetings_lapse() == 1
    meeting.refresh_from_db()
    assert (meeting.state, len(_to_interpreter())) == (Meeting.State.LAPSED, 1)


def test_deleting_a_past_meeting_tells_nobody(client, organiser, edition):
    meeting, _staff = _meeting(edition, state=Meeting.State.ACCEPTED)
    past = timezone.now() - datetime.timedelta(days=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(minutes=30)
    )
    mail.outbox.clear()
    _admin_delete("meeting")(meeting, None, client, organiser)
    assert _to_interpreter() == []


# --- A move the interpreter cannot follow ----------------------------------------------------


def _busy_elsewhere(meeting, *, state=Meeting.State.ACCEPTED, hours=3):
    other_slot = SlotFactory(starts_at=meeting.starts_at + datetime.timedelta(hours=hours))
    return MeetingFactory(
        slot=other_slot,
        state=state,
        hold_until=None if state == Meeting.State.ACCEPTED else other_slot.starts_at,
        interpreter=meeting.interpreter,
    )


def test_move_onto_the_interpreters_other_meeting_is_refused(edition):
    meeting, staff = _meeting(edition, state=Meeting.State.ACCEPTED)
    other = _busy_elsewhere(meeting)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        services.slot_move(slot=meeting.slot, by=staff, starts_at=other.starts_at)
    assert refused.value.message_dict == {
        "starts_at": [
            "Anna Li, the interpreter the organisers assigned to this meeting, interprets "
            "another meeting at this time. Choose another time, or ask the organisers for "
            "another interpreter first."
        ]
    }
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.interpreter.name, len(mail.outbox)) == (
        meeting.slot.starts_at,
        "Anna Li",
        0,
    )


def test_move_beside_the_interpreters_other_meetings_goes_through(edition):
    meeting, staff = _meeting(edition, state=Meeting.State.ACCEPTED)
    _busy_elsewhere(meeting, hours=3)
    lapsed = _busy_elsewhere(meeting, state=Meeting.State.REQUESTED, hours=6)
    Meeting.objects.filter(pk=lapsed.pk).update(
        hold_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    later = meeting.starts_at + datetime.timedelta(hours=1)
    services.slot_move(slot=meeting.slot, by=staff, starts_at=later)
    services.slot_move(slot=meeting.slot, by=staff, starts_at=lapsed.starts_at)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.interpreter.name) == (lapsed.starts_at, "Anna Li")


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "",
            "Anna Li, the interpreter the organisers assigned to this meeting, interprets "
            "another meeting at this time.",
        ),
        ("/zh-hans", "主办方为本次洽谈安排的翻译 Anna Li 在这个时间要为另一场洽谈担任翻译。"),
    ],
)
def test_refused_move_is_explained_on_the_meeting_page(client, edition, prefix, expected):
    meeting, staff = _meeting(edition, state=Meeting.State.ACCEPTED)
    other = _busy_elsewhere(meeting)
    client.force_login(staff)
    response = client.post(
        prefix + reverse("exhibitions:meeting_action", args=[meeting.pk, "move"]),
        {"move-starts_at": timezone.localtime(other.starts_at).strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at == meeting.slot.starts_at != other.starts_at
