"""Factories of Online Recruitment."""

import datetime

import factory
from django.utils import timezone

from recruitment.models import (
    Application,
    DemandAnswer,
    JobLanguage,
    JobPosting,
    SavedSearch,
    TalentDemand,
    TalentLanguage,
    TalentProfile,
)
from tests.factories import (
    DelegationFactory,
    EditionFactory,
    FieldFactory,
    OrganisationFactory,
    UserFactory,
)


class JobPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting
        skip_postgeneration_save = True

    edition = factory.LazyFunction(
        lambda: EditionFactory._meta.model.objects.current() or EditionFactory(is_current=True)
    )
    organisation = factory.SubFactory(OrganisationFactory)
    title_en = factory.Sequence(lambda n: f"Engineer {n}")
    title_zh = factory.Sequence(lambda n: f"工程师{n}")
    description_en = "Build things."
    description_zh = "建造东西。"
    field = factory.SubFactory(FieldFactory)
    type = JobPosting.Type.FULL_TIME
    city = "Shenzhen"
    province = "Guangdong"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = JobPosting.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=JobPosting.Status.DRAFT, published_at=None)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            for code in extracted:
                JobLanguage.objects.create(posting=self, language=code)


class TalentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, came_as="talent")
    headline = factory.Sequence(lambda n: f"Researcher {n}")
    summary_en = "Photonics researcher."
    nationality = "RU"
    residence = "RU"
    degree = 4
    experience_years = 8
    visibility = TalentProfile.Visibility.EMPLOYERS

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.set(extracted)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            for code in extracted:
                TalentLanguage.objects.create(profile=self, language=code, level="fluent")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    posting = factory.SubFactory(JobPostingFactory)
    talent = factory.SubFactory(TalentProfileFactory)
    cover_letter = "I would like this job."


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSearch

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Search {n}")
    query = ""


class TalentDemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentDemand

    delegation = factory.SubFactory(DelegationFactory)
    title_en = factory.Sequence(lambda n: f"Materials expert {n}")
    title_zh = factory.Sequence(lambda n: f"材料专家{n}")
    description_en = "Lead a new-materials lab."
    field = factory.SubFactory(FieldFactory)
    level = TalentDemand.Level.SENIOR
    number = 2


class DemandAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandAnswer

    demand = factory.SubFactory(TalentDemandFactory)
    talent = factory.SubFactory(TalentProfileFactory)
    message = "I can help."
