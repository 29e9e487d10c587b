import factory
from django.utils import timezone

from projects.models import (
    Competition,
    CooperationType,
    Intention,
    Project,
    ProjectCooperationType,
)
from tests.factories import DelegationFactory, EditionFactory, OrganisationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)
    kind = Project.Kind.OFFER
    organisation = factory.SubFactory(OrganisationFactory)
    owner_country = factory.LazyAttribute(
        lambda o: o.organisation.country.code if o.organisation else ""
    )
    title_en = factory.Sequence(lambda n: f"Project {n}")
    title_zh = factory.Sequence(lambda n: f"项目{n}")
    summary_en = "A technology to transfer."
    summary_zh = "一项待转移的技术。"
    stage = Project.Stage.PROTOTYPE
    contact_name = "Contact Person"
    contact_email = "contact@example.org"
    state = Project.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.set(extracted)

    @factory.post_generation
    def cooperation_types(self, create, extracted, **kwargs):
        if create:
            for kind in extracted or [CooperationType.TECHNOLOGY_TRANSFER]:
                ProjectCooperationType.objects.create(project=self, type=kind)


class DemandFactory(ProjectFactory):
    kind = Project.Kind.REQUEST
    organisation = None
    delegation = factory.SubFactory(DelegationFactory)
    edition = factory.SelfAttribute("delegation.edition")
    owner_country = "CN"


class IntentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intention
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)
    delegation = factory.SubFactory(DelegationFactory, edition=factory.SelfAttribute("..edition"))
    counterpart_organisation = factory.SubFactory(OrganisationFactory)
    cooperation_type = CooperationType.JOINT_RD
    description_en = "Joint laboratory."
    description_zh = "共建实验室。"

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.set(extracted)


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    edition = factory.SubFactory(EditionFactory)
    slug = factory.Sequence(lambda n: f"competition-{n}")
    name_en = factory.Sequence(lambda n: f"Competition {n}")
    name_zh = factory.Sequence(lambda n: f"大赛{n}")
