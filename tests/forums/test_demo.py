import io

import pytest
from django.core.management import call_command

from forums.models import Registration, Section, Session

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
    assert len(open_sessions) == 5  # three theme activities, the guest's and the observer's
    workshop = Session.objects.get(capacity=2)
    assert list(workshop.registrations.values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "waiting",
    ]
