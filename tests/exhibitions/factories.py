"""Factories of the exhibition hall."""

import datetime

import factory
from django.utils import timezone

from exhibitions.models import Application, Booth, Exhibitor, Hall, Meeting, Slot
from tests.factories import EditionFactory, MembershipFactory, OrganisationFactory, UserFactory


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"H{n}")
    name_en = factory.Sequence(lambda n: f"Hall {n}")
    name_zh = factory.Sequence(lambda n: f"展馆{n}")
    area_m2 = 5000
    plan_width = 100
    plan_height = 60


class BoothFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booth

    hall = factory.SubFactory(HallFactory)
    code = factory.Sequence(lambda n: f"B-{100 + n}")
    size_m2 = 9
    x = factory.Sequence(lambda n: (n * 3) % 90)
    y = 3


class ExhibitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibitor

    edition = factory.SubFactory(EditionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    description_en = "We show our products."
    description_zh = "我们展示产品。"


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    edition = factory.SubFactory(EditionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    description_en = "Our profile."


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    exhibitor = factory.SubFactory(ExhibitorFactory)
    starts_at = factory.Sequence(
        lambda n: timezone.now().replace(microsecond=0) + datetime.timedelta(days=2, hours=n)
    )
    duration_minutes = 30
    mode = Slot.Mode.ONLINE
    meeting_link = "https://meet.example.org/ciep"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    slot = factory.SubFactory(SlotFactory)
    requester = factory.SubFactory(UserFactory)
    starts_at = factory.LazyAttribute(lambda o: o.slot.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.slot.ends_at)
    languages = "English"
    state = Meeting.State.REQUESTED
    hold_until = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=1))


def exhibitor_with_staff(edition=None, role="staff", **kwargs):
    """An exhibitor and one member of its organisation."""
    exhibitor = ExhibitorFactory(**({"edition": edition} if edition else {}), **kwargs)
    member = MembershipFactory(organisation=exhibitor.organisation, role=role).user
    return exhibitor, member
