"""Races decided by the database, with real threads on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from forums import services
from forums.models import Registration, Session
from tests.factories import UserFactory
from tests.forums.factories import RegistrationFactory, SessionFactory, SubVenueEventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The server's connections are shared, so the 200 people come through 20 threads at once.
WORKERS = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks decide this race only on PostgreSQL.")


def _run_all(people, action):
    barrier = threading.Barrier(WORKERS)
    chunks = [people[index::WORKERS] for index in range(WORKERS)]

    def worker(chunk):
        try:
            barrier.wait()
            return [action(person) for person in chunk]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return [result for chunk in pool.map(worker, chunks) for result in chunk]


def test_registration_race_200_for_the_last_50_seats(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    session = SessionFactory(capacity=100)
    RegistrationFactory.create_batch(50, session=session)
    people = UserFactory.create_batch(200)

    results = _run_all(
        people, lambda person: services.registration_create(session=session, user=person).status
    )

    assert len(results) == 200
    assert results.count("confirmed") == 50
    assert results.count("waiting") == 150
    assert Registration.objects.filter(session=session, status="confirmed").count() == 100
    assert Registration.objects.filter(session=session, status="waiting").count() == 150


def test_check_in_race_accepts_a_code_once(organiser):
    registration = RegistrationFactory()

    def scan(_index):
        try:
            services.registration_check_in(code=registration.code, by=organiser)
        except Exception:
            return "refused"
        return "accepted"

    results = _run_all(list(range(WORKERS)), scan)
    assert sorted(results) == ["accepted"] + ["refused"] * (WORKERS - 1)


def test_sub_venue_event_approved_once_by_organisers_at_the_same_time(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    event = SubVenueEventFactory()
    organisers = UserFactory.create_batch(WORKERS, organiser=True)

    def approve(organiser):
        try:
            services.sub_venue_event_approve(event=event, by=organiser)
        except ValidationError:
            return "refused"
        return "approved"

    results = _run_all(organisers, approve)

    assert sorted(set(results)) == ["approved", "refused"]
    assert results.count("approved") == 1
    assert Session.objects.filter(sub_venue_event=event).count() == 1
