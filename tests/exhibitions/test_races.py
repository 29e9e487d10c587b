"""Races decided by PostgreSQL: row locks plus constraints, with real threads."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from exhibitions import services
from exhibitions.models import Application, Booth, Meeting
from tests.factories import EditionFactory, MembershipFactory, UserFactory

from .factories import BoothFactory, ExhibitorFactory, HallFactory, SlotFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row-lock races need PostgreSQL.")


def race(*calls):
    """Run the calls at the same moment in threads; return (successes, error messages)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except ValidationError as error:
            errors.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_exhibitors_assigned_the_last_booth_end_with_one_assignment():
    organiser = UserFactory(organiser=True)
    hall = HallFactory(edition=EditionFactory())
    booth = BoothFactory(hall=hall)
    first, second = (ExhibitorFactory(edition=hall.edition) for _ in range(2))
    results, errors = race(
        lambda: services.booth_assign(booth=booth, exhibitor=first, by=organiser),
        lambda: services.booth_assign(booth=booth, exhibitor=second, by=organiser),
    )
    booth.refresh_from_db()
    assert (len(results), booth.state) == (1, Booth.State.ASSIGNED)
    assert booth.exhibitor in (first, second)
    assert errors == [f"Booth {booth.code} has just been assigned to someone else."]


def test_two_applicants_picking_the_last_booth_end_with_one_reservation():
    hall = HallFactory(edition=EditionFactory())
    booth = BoothFactory(hall=hall)
    admins = [MembershipFactory(role="admin") for _ in range(2)]
    results, errors = race(
        *(
            lambda m=m: services.application_submit(
                by=m.user, edition=hall.edition, organisation=m.organisation, booth=booth
            )
            for m in admins
        )
    )
    booth.refresh_from_db()
    assert (len(results), booth.state, Application.objects.count()) == (1, "reserved", 1)
    assert len(errors) == 1
    assert errors[0].startswith(f"Booth {booth.code} has just been taken.")


def test_two_people_requesting_one_slot_end_with_one_meeting():
    slot = SlotFactory()
    people = [UserFactory() for _ in range(2)]
    results, errors = race(
        *(
            lambda p=p: services.meeting_request(slot=slot, by=p, languages="English")
            for p in people
        )
    )
    assert len(results) == 1
    assert Meeting.objects.filter(slot=slot).count() == 1
    assert errors == ["This slot has just been taken. Please choose another one."]


def test_one_person_requesting_two_overlapping_slots_at_once_gets_one():
    person = UserFactory()
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    slots = [
        SlotFactory(starts_at=start, duration_minutes=60),
        SlotFactory(starts_at=start + datetime.timedelta(minutes=30), duration_minutes=60),
    ]
    results, errors = race(
        *(
            lambda s=s: services.meeting_request(slot=s, by=person, languages="English")
            for s in slots
        )
    )
    assert len(results) == 1
    assert Meeting.objects.filter(requester=person).count() == 1
    assert len(errors) == 1
    assert errors[0].startswith("You already have a meeting at this time")


def test_one_interpreter_assigned_to_two_overlapping_meetings_at_once_ends_with_one():
    from exhibitions.models import Interpreter

    organiser = UserFactory(organiser=True)
    interpreter = Interpreter.objects.create(name="Anna", languages="en,zh")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    meetings = [
        Meeting.objects.create(
            slot=SlotFactory(starts_at=start + datetime.timedelta(minutes=10 * index)),
            requester=UserFactory(),
            starts_at=start + datetime.timedelta(minutes=10 * index),
            ends_at=start + datetime.timedelta(minutes=10 * index + 30),
            languages="en",
            state=Meeting.State.ACCEPTED,
        )
        for index in range(2)
    ]
    results, errors = race(
        *(
            lambda m=meeting: services.interpreter_assign(
                meeting=m, interpreter=interpreter, by=organiser
            )
            for meeting in meetings
        )
    )
    assert len(results) == 1
    assert Meeting.objects.filter(interpreter=interpreter).count() == 1
    assert len(errors) == 1 and "Anna interprets another meeting at this time" in errors[0]
