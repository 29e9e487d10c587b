import datetime

import pytest
from django.utils import timezone

from forums.figures import edition_figures, participating_organisation_ids
from forums.models import Session
from forums.selectors import sessions_count
from tests.factories import EditionFactory, OrganisationFactory
from tests.forums.factories import (
    RegistrationFactory,
    SectionFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def at(day: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2019, 4, day, hour))


@pytest.fixture
def seventeenth():
    edition = EditionFactory(number=17)
    opening = SectionFactory(edition=edition, name_en="Opening Ceremony", order=1)
    forum = SectionFactory(edition=edition, name_en="Shenzhen Forum", order=2)
    organisation = OrganisationFactory()
    ceremony = SessionFactory(
        edition=edition,
        section=opening,
        start=at(14, 9),
        end=at(14, 10),
        organising_organisation=organisation,
    )
    ceremony.live_views, ceremony.replay_views = 687, 40
    ceremony.save()
    talk = SessionFactory(edition=edition, section=forum, start=at(14, 14), end=at(14, 16))
    late = SessionFactory(
        edition=edition,
        section=forum,
        start=at(15, 23),
        end=at(15, 23) + datetime.timedelta(minutes=30),
    )
    SessionFactory(
        edition=edition,
        section=forum,
        start=at(15, 9),
        end=at(15, 10),
        status=Session.Status.CANCELLED,
        organising_organisation=OrganisationFactory(),
    )
    speaker = SpeakerFactory()
    SessionSpeakerFactory(session=ceremony, speaker=speaker)
    SessionSpeakerFactory(session=talk, speaker=speaker)
    SessionSpeakerFactory(session=talk)
    return edition, ceremony, talk, late, organisation


def test_edition_figures_counts_check_ins_by_day(seventeenth):
    edition, ceremony, talk, late, _organisation = seventeenth
    RegistrationFactory.create_batch(3, session=ceremony, checked_in_at=timezone.now())
    RegistrationFactory(session=ceremony)
    RegistrationFactory(session=talk, status="waiting")
    RegistrationFactory(session=talk, status="cancelled")
    RegistrationFactory(session=late, checked_in_at=timezone.now())
    EditionFactory()  # another edition's data never counts
    assert edition_figures(edition) == {
        "events": 3,
        "registrations": 5,
        "waiting_list": 1,
        "session_check_ins": 4,
        "live_views": 687,
        "replay_views": 40,
        "speakers": 2,
        "events_by_section": {"Opening Ceremony": 1, "Shenzhen Forum": 2},
        "attendance_by_day": {"2019-04-14": 3, "2019-04-15": 1},
        "attendance_basis": "check_ins",
        "sub_venue_events": 0,
        "sub_venue_events_domestic": 0,
        "sub_venue_events_foreign": 0,
        "sub_venue_events_by_delegation": {},
    }


def test_edition_figures_without_check_ins_counts_registrations(seventeenth):
    edition, ceremony, talk, _late, _organisation = seventeenth
    RegistrationFactory.create_batch(2, session=ceremony)
    RegistrationFactory(session=talk)
    RegistrationFactory(session=talk, status="waiting")
    figures = edition_figures(edition)
    assert figures["attendance_by_day"] == {"2019-04-14": 3}
    assert figures["attendance_basis"] == "registrations"


def test_participating_organisations_and_count(seventeenth):
    edition, _ceremony, _talk, _late, organisation = seventeenth
    assert participating_organisation_ids(edition) == {organisation.pk}
    assert sessions_count(edition) == 3


def test_attendance_basis_shows_as_words_in_the_report_page(client, db):
    from ciep.report import report_context
    from tests.factories import EditionFactory

    edition = EditionFactory()
    numbers = {
        number["key"]: number["value"]
        for section in report_context(edition)["sections"]
        for number in section["numbers"]
    }
    assert numbers["attendance_basis"] == "confirmed registrations"
