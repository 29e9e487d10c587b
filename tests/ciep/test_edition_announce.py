"""Rescheduling an edition mails the people concerned, once each, in their language."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ciep import services
from ciep.models import Attendance
from exhibitions.models import Meeting
from forums.models import Registration
from tests.exhibitions.factories import MeetingFactory, exhibitor_with_staff
from tests.factories import EditionFactory, UserFactory
from tests.forums.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_edition_reschedule_mails_everyone_concerned_once():
    edition = EditionFactory(
        start_date=datetime.date(2030, 4, 10), end_date=datetime.date(2030, 4, 12)
    )
    session = SessionFactory(edition=edition)
    registrant = RegistrationFactory(session=session, user__preferred_language="zh").user
    waiting = RegistrationFactory(session=session, status=Registration.Status.WAITING).user
    RegistrationFactory(session=session, status=Registration.Status.CANCELLED)
    exhibitor, staff = exhibitor_with_staff(edition)
    requester = MeetingFactory(slot__exhibitor=exhibitor).requester
    MeetingFactory(slot__exhibitor=exhibitor, state=Meeting.State.DECLINED)
    # Registered for a session and holding a meeting: told once.
    MeetingFactory(slot__exhibitor=exhibitor, requester=registrant)
    visitor = UserFactory()
    Attendance.objects.create(edition=edition, user=visitor, name="V", role="visitor", country="FI")
    # Concerned by another edition only.
    RegistrationFactory(session=SessionFactory(), user__email="elsewhere@example.org")
    mail.outbox.clear()
    services.edition_reschedule(
        edition=edition,
        start_date=datetime.date(2030, 5, 10),
        end_date=datetime.date(2030, 5, 12),
        format="hybrid",
        reason_en="The venue is being renovated.",
        reason_zh="场馆正在翻修。",
        by=UserFactory(organiser=True),
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        person.email for person in (registrant, waiting, staff, requester, visitor)
    )
    chinese = next(m for m in mail.outbox if m.to == [registrant.email])
    assert "新日期" in chinese.subject
    assert "场馆正在翻修。" in chinese.body
    english = next(m for m in mail.outbox if m.to == [waiting.email])
    assert "The venue is being renovated." in english.body


def test_edition_reschedule_refused_tells_nobody():
    edition = EditionFactory()
    RegistrationFactory(session=SessionFactory(edition=edition))
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.edition_reschedule(
            edition=edition,
            start_date=edition.start_date,
            end_date=edition.start_date - datetime.timedelta(days=1),
            format=edition.format,
            reason_en="x",
            by=UserFactory(organiser=True),
        )
    assert len(mail.outbox) == 0
