import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from ciep.models import Edition, User
from ciep.report import edition_report
from forums.figures import edition_figures
from forums.models import (
    DelegationQuota,
    Registration,
    Section,
    Session,
    SessionSpeaker,
    Speaker,
    Venue,
)

pytestmark = pytest.mark.django_db

SMALL = {
    "organisations": 30,
    "countries": 7,
    "experts": 12,
    "representatives": 9,
    "visitors": 80,
    "delegations": 5,
    "booths": 0,
    "exhibition_area": 0,
    "events": 12,
    "registrations": 12,
    "jobs": 0,
    "applications": 0,
    "projects": 0,
    "intentions": 0,
    "agreements": 0,
}


def run(number=45, **overrides):
    out = io.StringIO()
    call_command(
        "generate_edition", str(number), "--seed", "3", stdout=out, **{**SMALL, **overrides}
    )
    return out.getvalue()


def snapshot(number=45):
    sessions = Session.objects.filter(edition__number=number)
    return {
        "sessions": sorted(
            sessions.values_list("title_en", "title_zh", "status", "start", "capacity")
        ),
        "registrations": sorted(
            Registration.objects.filter(session__in=sessions).values_list(
                "session__title_en", "user__email", "status", "attendance", "code"
            )
        ),
        "speakers": sorted(
            SessionSpeaker.objects.filter(session__in=sessions).values_list(
                "session__title_en", "speaker__name_en", "speaker__user__email", "role"
            )
        ),
        "sections": Section.objects.filter(edition__number=number).count(),
        "venues": Venue.objects.filter(edition__number=number).count(),
        "quotas": DelegationQuota.objects.filter(session__in=sessions).count(),
        "users": User.objects.filter(email__endswith="@generated.example").count(),
        "speaker_rows": Speaker.objects.count(),
    }


def test_generated_forum_figures_equal_what_was_asked():
    run()
    edition = Edition.objects.get(number=45)
    figures = edition_figures(edition)
    assert (figures["events"], figures["registrations"]) == (12, 12)
    report = edition_report(edition)
    assert (report["events"], report["registrations"]) == (12, 12)


def test_generated_sessions_are_bilingual_and_within_capacity():
    run(events=40, registrations=900)
    sessions = Session.objects.filter(edition__number=45)
    assert sessions.scheduled().count() == 40
    assert sessions.filter(status=Session.Status.CANCELLED).count() == 2
    assert not sessions.filter(title_zh="").exists()
    assert set(sessions.values_list("section__edition__number", flat=True)) == {45}
    assert set(sessions.values_list("venue__edition__number", flat=True)) == {45}
    for session in sessions.exclude(capacity=None).annotate(
        on_site=Count(
            "registrations",
            filter=Q(registrations__status="confirmed", registrations__attendance="on_site"),
        )
    ):
        assert session.on_site <= session.capacity
    assert (
        not Registration.objects.filter(session__status=Session.Status.CANCELLED)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    )


def test_generation_is_deterministic_and_replaces_the_forum_part():
    run()
    first = snapshot()
    run()
    assert snapshot() == first
    assert Edition.objects.filter(number=45).count() == 1


def test_generation_keeps_other_editions_people():
    run(number=45)
    run(number=46)
    run(number=45)
    assert edition_figures(Edition.objects.get(number=46))["registrations"] == 12
    assert User.objects.filter(email__startswith="registrant-46-").exists()


def test_generation_without_events_creates_no_forum_rows():
    run(events=0, registrations=0)
    assert not Session.objects.exists()
    assert not User.objects.filter(email__endswith="@generated.example").exists()


def test_generation_refuses_registrations_without_events():
    with pytest.raises(CommandError, match="--events"):
        run(events=0, registrations=5)
    assert not Edition.objects.filter(number=45).exists()


def test_generation_without_organisations_or_delegations():
    run(organisations=0, countries=0, delegations=0, events=3, registrations=4000)
    figures = edition_figures(Edition.objects.get(number=45))
    assert (figures["events"], figures["registrations"]) == (3, 4000)
    assert figures["speakers"] == Speaker.objects.count()


def test_generated_rooms_hold_one_session_at_a_time():
    run(events=60, registrations=100)
    sessions = list(
        Session.objects.filter(edition__number=45)
        .exclude(venue__kind=Venue.Kind.ONLINE)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("venue")
    )
    for session in sessions:
        overlapping = [
            other.title_en
            for other in sessions
            if other.pk != session.pk
            and other.start < session.end
            and session.start < other.end
            and (
                other.venue_id == session.venue_id
                # Nothing else at the main venue during the opening ceremony.
                or (session.kind == Session.Kind.CEREMONY and other.venue.kind == Venue.Kind.ROOM)
            )
        ]
        assert overlapping == []
