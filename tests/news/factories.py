import factory
from django.utils import timezone

from news.models import Accreditation, Article, MediaFigure, PressKitItem
from tests.conftest import PDF_BYTES
from tests.factories import EditionFactory, UserFactory


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)
    category = Article.Category.NEWS
    title_en = factory.Sequence(lambda n: f"Article {n}")
    title_zh = factory.Sequence(lambda n: f"新闻{n}")
    summary_en = "What happened at the conference."
    summary_zh = "大会上发生的事。"
    body_en = "The first paragraph.\n\nThe second paragraph."
    body_zh = "第一段。\n\n第二段。"
    state = Article.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.set(extracted)


class DraftFactory(ArticleFactory):
    state = Article.State.DRAFT
    published_at = None


class MediaFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaFigure

    edition = factory.SubFactory(EditionFactory)
    key = MediaFigure.Key.LIVE_VIEWS
    value = 1000
    source_en = "The organising committee's closing release"
    source_zh = "组委会闭幕新闻稿"
    as_of = factory.LazyFunction(lambda: timezone.localdate())


class AccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accreditation

    edition = factory.SubFactory(EditionFactory)
    journalist = factory.SubFactory(UserFactory)
    outlet = factory.Sequence(lambda n: f"Daily {n}")
    country = "GB"
    role = Accreditation.Role.REPORTER
    press_card = factory.django.FileField(filename="card.pdf", data=PDF_BYTES)


class PressKitItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressKitItem

    edition = factory.SubFactory(EditionFactory)
    kind = PressKitItem.Kind.RELEASE
    title_en = factory.Sequence(lambda n: f"Release {n}")
    file = factory.django.FileField(filename="release.pdf", data=PDF_BYTES)
