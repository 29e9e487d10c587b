import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from ciep.models import Edition
from exhibitions.models import Booth, Exhibitor, Interpreter, Meeting, Slot

pytestmark = pytest.mark.django_db


def test_demo_has_booths_in_every_state_exhibitors_pavilion_slots_and_meetings():
    call_command("seed_demo", stdout=io.StringIO())
    current = Edition.objects.get(number=20)
    booths = Booth.objects.filter(hall__edition=current)
    assert set(booths.values_list("state", flat=True)) == {"available", "reserved", "assigned"}
    assert booths.filter(kind="pavilion", delegation__name_en="Jiangsu Province").count() == 1
    exhibitors = Exhibitor.objects.filter(edition=current)
    assert set(exhibitors.values_list("organisation__country", flat=True)) == {
        "CN",
        "FI",
        "GB",
        "IL",
        "RU",  # the observer's exhibitor
    }
    assert all(e.logo for e in exhibitors.exclude(pavilion__isnull=False))
    assert Slot.objects.filter(starts_at__gt=timezone.now()).count() == 18
    assert sorted(set(Meeting.objects.values_list("state", flat=True))) == [
        "accepted",
        "declined",
        "requested",
    ]
    assert Exhibitor.objects.filter(edition__number=17).count() == 4
    # Yesterday's meetings, one with its outcome; the pool of interpreters; a visitor who
    # shares no language with Shenzhen University's staff.
    past = Meeting.objects.filter(starts_at__lt=timezone.now())
    assert sorted(past.values_list("outcome", flat=True)) == ["", "", "follow_up", "follow_up"]
    assert sorted(Interpreter.objects.values_list("name", flat=True)) == ["Mikko Lin", "Wang Fang"]
    visitor = Meeting.objects.get(
        requester__email="visitor@ciep.example",
        slot__exhibitor__organisation__name_en="Shenzhen University",
    )
    assert visitor.language_mismatch is True
