"""Factories of the conference core, shared by every app's tests."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from ciep.groups import ORGANISERS
from ciep.models import (
    Delegation,
    DelegationMember,
    Edition,
    EditionGuest,
    Field,
    Membership,
    Organisation,
    User,
)

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        organiser = factory.Trait(is_staff=True)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def in_organisers_group(self, create, extracted, **kwargs):
        if create and self.is_staff:
            self.groups.add(Group.objects.get_or_create(name=ORGANISERS)[0])


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"field-{n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")
    name_zh = factory.Sequence(lambda n: f"领域{n}")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: 30 + n)
    year = factory.LazyAttribute(lambda o: 2001 + o.number - 1)
    title_en = factory.LazyAttribute(lambda o: f"The {o.number}th CIEP")
    title_zh = factory.LazyAttribute(lambda o: f"第{o.number}届中国国际人才交流大会")
    theme_en = "Innovation, Development, Cooperation and Win-win"
    theme_zh = "创新、发展、合作、共赢"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=1))
    status = Edition.Status.OPEN

    @factory.post_generation
    def guest_of_honour(self, create, country, **kwargs):
        """``EditionFactory(guest_of_honour="GB")``: the edition's guest of honour."""
        if create and country:
            EditionGuest.objects.create(
                edition=self, country=country, role=EditionGuest.Role.GUEST_OF_HONOUR
            )

    @factory.post_generation
    def observers(self, create, countries, **kwargs):
        """``EditionFactory(observers=["RU"])``: the edition's observers, in that order."""
        for order, country in enumerate(countries or [], start=1) if create else ():
            EditionGuest.objects.create(
                edition=self, country=country, role=EditionGuest.Role.OBSERVER, order=order
            )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    name_zh = factory.Sequence(lambda n: f"机构{n}")
    type = Organisation.Type.ENTERPRISE
    country = "CN"
    city = "Shenzhen"
    verified_at = factory.LazyFunction(timezone.now)

    class Params:
        unverified = factory.Trait(verified_at=None)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.ADMIN


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    edition = factory.SubFactory(EditionFactory)
    kind = Delegation.Kind.PROVINCE
    name_en = factory.Sequence(lambda n: f"Province {n}")
    name_zh = factory.Sequence(lambda n: f"省份{n}")
    country = "CN"


class DelegationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationMember

    delegation = factory.SubFactory(DelegationFactory)
    user = factory.SubFactory(UserFactory)
    role = DelegationMember.Role.REPRESENTATIVE


def bearer(user, *scopes, **kwargs) -> dict:
    """Headers for the test client carrying a new personal access token of ``user``."""
    from ciep.services import token_create

    _token, raw = token_create(user=user, name="Test client", scopes=list(scopes), **kwargs)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
