import io

import pytest
from django.core.management import call_command

from forums.models import Registration, Section, Session, SubVenueEvent

pytestmark = pytest.mark.django_db


def test_demo_has_nine_sections_and_an_open_online_programme():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Section.objects.count(), Session.objects.count(), Registration.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        Section.objects.count(),
        Session.objects.count(),
        Registration.objects.count(),
    ) == counts
    assert Section.objects.filter(edition__number=17).count() == 9
    open_sessions = [
        s for s in Session.objects.filter(edition__number=20) if s.is_registration_open()
    ]
    # three theme activities, the guest's and the observer's, two sub-venue events
    assert len(open_sessions) == 7
    workshop = Session.objects.get(capacity=2)
    assert list(workshop.registrations.values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "waiting",
    ]


def test_demo_has_zhuhai_and_yancheng_sub_venue_events_in_the_20th_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    events = SubVenueEvent.objects.filter(edition__number=20).order_by("start")
    assert [
        (event.delegation.name_en, event.title_en, event.state, event.session.venue.kind)
        for event in events
    ] == [
        (
            "Zhuhai City",
            "Zhuhai sub-venue: talent and projects of the Greater Bay Area",
            "approved",
            "domestic",
        ),
        (
            "Yancheng City",
            "Overseas High-level Talent Project Matchmaking Fair",
            "approved",
            "domestic",
        ),
    ]
    assert events[1].delegation.members.get(role="head").user.email == "delegate@ciep.example"
