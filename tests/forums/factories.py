"""Factories of the forum's models."""

import datetime

import factory
from django.utils import timezone

from forums.models import (
    Bookmark,
    DelegationQuota,
    Registration,
    Section,
    Session,
    SessionSpeaker,
    Speaker,
    SubVenueEvent,
    Venue,
)
from tests.factories import DelegationFactory, EditionFactory, UserFactory


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    """An aware datetime ``days`` from today at ``hour`` (China time)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    edition = factory.SubFactory(EditionFactory)
    name_en = factory.Sequence(lambda n: f"Section {n}")
    name_zh = factory.Sequence(lambda n: f"板块{n}")
    order = factory.Sequence(lambda n: n)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    edition = factory.SubFactory(EditionFactory)
    kind = Venue.Kind.ROOM
    name_en = factory.Sequence(lambda n: f"Hall {n}")
    name_zh = factory.Sequence(lambda n: f"{n}号厅")
    city_en = "Shenzhen"
    city_zh = "深圳"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name_en = factory.Sequence(lambda n: f"Speaker {n}")
    name_zh = factory.Sequence(lambda n: f"演讲人{n}")
    title_en = "Professor"
    affiliation_en = "Shenzhen University"
    country = "CN"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    edition = factory.SubFactory(EditionFactory)
    section = factory.SubFactory(SectionFactory, edition=factory.SelfAttribute("..edition"))
    venue = factory.SubFactory(VenueFactory, edition=factory.SelfAttribute("..edition"))
    kind = Session.Kind.FORUM
    title_en = factory.Sequence(lambda n: f"Forum on topic {n}")
    title_zh = factory.Sequence(lambda n: f"主题论坛{n}")
    abstract_en = "Talent and innovation."
    start = factory.LazyFunction(lambda: in_days(10))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    format = "offline"
    language = Session.BOTH_LANGUAGES
    capacity = 100


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
    attendance = "on_site"


class BookmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bookmark

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)


class DelegationQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationQuota

    session = factory.SubFactory(SessionFactory)
    delegation = factory.SubFactory(
        DelegationFactory, edition=factory.SelfAttribute("..session.edition")
    )
    places = 3


class SubVenueEventFactory(factory.django.DjangoModelFactory):
    """A pending proposal at one of the edition's domestic sub-venues."""

    class Meta:
        model = SubVenueEvent

    delegation = factory.SubFactory(DelegationFactory)
    edition = factory.SelfAttribute("delegation.edition")
    proposed_by = factory.SubFactory(UserFactory)
    section = factory.SubFactory(SectionFactory, edition=factory.SelfAttribute("..edition"))
    venue = factory.SubFactory(
        VenueFactory,
        edition=factory.SelfAttribute("..edition"),
        kind=Venue.Kind.DOMESTIC,
        name_en=factory.Sequence(lambda n: f"Zhuhai sub-venue {n}"),
        city_en="Zhuhai",
        city_zh="珠海",
    )
    kind = Session.Kind.THEME_ACTIVITY
    title_en = factory.Sequence(lambda n: f"Sub-venue event {n}")
    title_zh = factory.Sequence(lambda n: f"分会场活动{n}")
    start = factory.LazyFunction(lambda: in_days(10))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=3))
    capacity = 50
