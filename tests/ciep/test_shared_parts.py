"""Parts of pages that are the same for every reader are drawn once for all of them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from ciep.caching import forget_versions
from tests.factories import UserFactory
from tests.forums.factories import SessionFactory, SessionSpeakerFactory

pytestmark = pytest.mark.django_db

PART = Template(
    '{% load portal %}{% shared_part "t" "forums" shows=session %}'
    "{{ session.title }}|{{ user.is_authenticated }}|{{ csrf_token }}|{{ count }}"
    "{% end_shared_part %}|{{ user.is_authenticated }}"
)


def draw(session, user, count):
    return PART.render(Context({"session": session, "user": user, "count": count}))


def test_a_part_is_drawn_once_for_every_reader_and_holds_nothing_of_them():
    session = SessionFactory(title_en="Opening")
    first = draw(session, UserFactory(), count=1)
    assert first == "Opening|False|None|1|True"  # drawn as for a visitor, around it the user's
    assert draw(session, UserFactory(), count=2) == "Opening|False|None|1|True"


def test_a_change_to_its_object_draws_it_again():
    session = SessionFactory(title_en="Opening")
    draw(session, UserFactory(), count=1)
    session.title_en = "Opening ceremony"
    session.save()
    assert draw(session, UserFactory(), count=2) == "Opening ceremony|False|None|2|True"


def test_another_objects_part_is_its_own():
    one, other = SessionFactory(title_en="One"), SessionFactory(title_en="Other")
    assert draw(one, UserFactory(), count=1).startswith("One|")
    assert draw(other, UserFactory(), count=1).startswith("Other|")


def test_a_signed_in_session_page_reads_its_speakers_only_when_its_part_is_drawn(client):
    session = SessionFactory()
    for speaker in SessionSpeakerFactory.create_batch(3, session=session):
        speaker.speaker.name_en = f"Speaker {speaker.pk}"
        speaker.speaker.save()
    client.force_login(UserFactory())
    cache.clear()
    forget_versions()
    with CaptureQueriesContext(connection) as cold:
        drawn = client.get(session.get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get(session.get_absolute_url()).content.decode()
    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in cold.captured_queries]
    assert '"forums_sessionspeaker"' in tables and '"ciep_field"' in tables
    assert len(warm) == len(cold) - 2  # its speakers and its fields
    for role in session.speaker_roles.all():
        assert role.speaker.name_en in drawn and role.speaker.name_en in again
