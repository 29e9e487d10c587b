import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from forums.models import Registration, Session
from tests.forums.factories import RegistrationFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_session_ending_before_start_is_refused_by_database():
    session = SessionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(
            end=session.start - datetime.timedelta(hours=1)
        )


def test_session_clean_rejects_other_editions_venue():
    session = SessionFactory()
    session.venue = VenueFactory()
    with pytest.raises(Exception) as error:
        session.full_clean()
    assert error.value.message_dict["venue"] == ["Choose a venue of the session's edition."]


def test_two_live_registrations_of_one_person_are_refused_by_database():
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=registration.session, user=registration.user, status="waiting"
        )
    RegistrationFactory(session=registration.session, user=registration.user, status="cancelled")
    assert Registration.objects.count() == 2


def test_section_and_venue_with_sessions_cannot_be_deleted_alone():
    session = SessionFactory()
    with pytest.raises(RestrictedError):
        session.section.delete()
    with pytest.raises(RestrictedError):
        session.venue.delete()
    assert Session.objects.filter(pk=session.pk).exists()


def test_deleting_an_edition_takes_its_programme():
    session = RegistrationFactory().session
    session.edition.delete()
    assert (Session.objects.count(), Registration.objects.count()) == (0, 0)
