"""Registrants are told when a session is cancelled or moved, each once, in their language."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forums import services
from forums.models import Registration, Session
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory
from tests.forums.factories import RegistrationFactory, SessionFactory, VenueFactory
from tests.forums.test_admin import _session_post

pytestmark = pytest.mark.django_db


def _registrants(session):
    confirmed = RegistrationFactory(session=session, user__email="en@example.org")
    waiting = RegistrationFactory(
        session=session,
        status=Registration.Status.WAITING,
        user__email="zh@example.org",
        user__preferred_language="zh",
    )
    RegistrationFactory(
        session=session, status=Registration.Status.CANCELLED, user__email="gone@example.org"
    )
    return confirmed, waiting


def test_session_cancel_mails_confirmed_and_waiting_once_each_in_their_language(organiser):
    session = SessionFactory(title_en="Talent forum", title_zh="人才论坛")
    _registrants(session)
    RegistrationFactory(session=SessionFactory(), user__email="other@example.org")
    mail.outbox.clear()
    services.session_cancel(session=session, by=organiser)
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["en@example.org", "zh@example.org"]
    assert "Cancelled: Talent forum" in by_address["en@example.org"].subject
    assert "已取消：人才论坛" in by_address["zh@example.org"].subject
    assert "人才论坛" in by_address["zh@example.org"].body


def test_session_cancel_refused_to_non_organiser_and_when_cancelled(user, organiser):
    session = SessionFactory()
    RegistrationFactory(session=session)
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        services.session_cancel(session=session, by=user)
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    services.session_cancel(session=session, by=organiser)
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.session_cancel(session=session, by=organiser)
    assert len(mail.outbox) == 0


def test_the_session_change_form_cannot_cancel_a_session(client, organiser):
    """The state moves only through the admin's actions, which call the services."""
    session = SessionFactory()
    _registrants(session)
    mail.outbox.clear()
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:forums_session_change", args=[session.pk])
    response = client.post(url, _session_post(session, status="cancelled"), follow=True)
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    assert mail.outbox == []


def test_admin_moving_a_session_tells_registrants_when_and_where_before(client, organiser):
    session = SessionFactory()
    old_venue = session.venue
    _registrants(session)
    mail.outbox.clear()
    sign_in_with_second_factor(client, organiser)
    later = session.start + datetime.timedelta(days=1)
    new_venue = VenueFactory(edition=session.edition, name_en="Room 9")
    data = _session_post(
        session,
        venue=new_venue.pk,
        start_0=later.astimezone().strftime("%Y-%m-%d"),
        end_0=(session.end + datetime.timedelta(days=1)).astimezone().strftime("%Y-%m-%d"),
    )
    client.post(reverse("admin:forums_session_change", args=[session.pk]), data)
    english = next(m for m in mail.outbox if m.to == ["en@example.org"])
    assert "New time or place" in english.subject
    assert "Room 9" in english.body
    assert f"before: {old_venue.name_en}" in english.body
    assert len(mail.outbox) == 2


def test_admin_edit_of_title_only_tells_nobody(client, organiser):
    session = SessionFactory()
    _registrants(session)
    mail.outbox.clear()
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:forums_session_change", args=[session.pk])
    client.post(url, _session_post(session, title_en="A better title"))
    assert len(mail.outbox) == 0


def test_admin_cancel_action(client, organiser):
    session = SessionFactory()
    _registrants(session)
    mail.outbox.clear()
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:forums_session_changelist"),
        {"action": "cancel_sessions", "_selected_action": [session.pk]},
        follow=True,
    )
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert len(mail.outbox) == 2


def test_person_registered_twice_through_a_delegation_is_told_once(organiser):
    session = SessionFactory()
    person = UserFactory()
    RegistrationFactory(session=session, user=person)
    mail.outbox.clear()
    assert services.session_announce(session=session, change="moved") == 1
    assert len(mail.outbox) == 1
