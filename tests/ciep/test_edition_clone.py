"""Organisers start the next edition from an earlier one: its halls and booth layout, sections
and venues are copied into a new planned edition; nothing of who took part."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ciep import services
from ciep.models import Edition
from exhibitions.models import Booth, Hall
from forums.models import Section, Session, Venue
from tests.conftest import sign_in_with_second_factor
from tests.exhibitions.factories import BoothFactory, ExhibitorFactory, HallFactory
from tests.factories import DelegationFactory, EditionFactory, UserFactory
from tests.forums.factories import SectionFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    edition = EditionFactory(
        number=20,
        year=2022,
        title_en="The 20th Conference on International Exchange of Professionals",
        title_zh="第20届中国国际人才交流大会",
        start_date=datetime.date(2022, 5, 26),
        end_date=datetime.date(2022, 5, 27),
        status=Edition.Status.CONCLUDED,
    )
    hall = HallFactory(edition=edition, code="A", name_en="Hall A", plan_width=60, plan_height=40)
    exhibitor = ExhibitorFactory(edition=edition)
    BoothFactory(
        hall=hall,
        code="A-101",
        x=2,
        y=3,
        width=3,
        depth=3,
        exhibitor=exhibitor,
        state=Booth.State.ASSIGNED,
    )
    BoothFactory(
        hall=hall,
        code="A-102",
        x=6,
        y=3,
        width=6,
        depth=3,
        delegation=DelegationFactory(edition=edition),
        kind=Booth.Kind.PAVILION,
        state=Booth.State.ASSIGNED,
    )
    SectionFactory(edition=edition, name_en="Main forum", order=1)
    VenueFactory(edition=edition, name_en="Room 1", address="Futian")
    SessionFactory(edition=edition)
    return edition


def test_clone_copies_setup_into_a_planned_edition(source, organiser):
    target = services.edition_clone(source=source, by=organiser)
    assert (target.number, target.year, target.status) == (21, 2023, "planned")
    assert (target.start_date, target.end_date) == (
        datetime.date(2023, 5, 26),
        datetime.date(2023, 5, 27),
    )
    assert target.title_en == "The 21st Conference on International Exchange of Professionals"
    assert target.title_zh == "第21届中国国际人才交流大会"
    assert not target.is_current
    hall = Hall.objects.get(edition=target)
    assert (hall.code, hall.name_en, hall.plan_width, hall.plan_height) == ("A", "Hall A", 60, 40)
    assert list(
        hall.booths.order_by("code").values_list(
            "code", "x", "y", "width", "depth", "state", "exhibitor", "delegation"
        )
    ) == [
        ("A-101", 2, 3, 3, 3, "available", None, None),
        ("A-102", 6, 3, 6, 3, "available", None, None),
    ]

    def setup(model, edition, *names):
        return sorted(model.objects.filter(edition=edition).values_list(*names))

    assert ("Main forum", 1) in setup(Section, target, "name_en", "order")
    assert setup(Section, target, "name_en", "order") == setup(Section, source, "name_en", "order")
    assert ("Room 1", "Futian") in setup(Venue, target, "name_en", "address")
    assert setup(Venue, target, "name_en", "address", "kind") == setup(
        Venue, source, "name_en", "address", "kind"
    )
    assert Session.objects.filter(edition=target).count() == 0
    # The source is untouched.
    assert Booth.objects.filter(hall__edition=source, state="assigned").count() == 2


def test_clone_numbers_after_the_last_edition(source, organiser):
    EditionFactory(number=22, year=2024)
    target = services.edition_clone(source=source, by=organiser)
    assert (target.number, target.year, target.start_date) == (23, 2025, datetime.date(2025, 5, 26))


def test_clone_is_for_organisers_only(source):
    with pytest.raises(PermissionDenied):
        services.edition_clone(source=source, by=UserFactory())
    assert Edition.objects.count() == 1


def test_clone_admin_action(client, source, organiser):
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:ciep_edition_changelist"),
        {"action": "clone", "_selected_action": [source.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert list(Edition.objects.order_by("number").values_list("number", flat=True)) == [20, 21]
    assert Booth.objects.filter(hall__edition__number=21).count() == 2


def test_clone_admin_action_needs_one_edition(client, source, organiser):
    other = EditionFactory()
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:ciep_edition_changelist"),
        {"action": "clone", "_selected_action": [source.pk, other.pk]},
        follow=True,
    )
    assert "Select exactly one edition." in response.content.decode()
    assert Edition.objects.count() == 2
