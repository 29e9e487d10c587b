from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from news import services, tasks
from news.models import Article
from tests.news.factories import ArticleFactory, DraftFactory

pytestmark = pytest.mark.django_db

State = Article.State


def test_article_goes_from_draft_through_review_to_published(organiser):
    article = DraftFactory()
    services.article_submit(article=article, by=organiser)
    article.refresh_from_db()
    assert article.state == State.IN_REVIEW
    services.article_publish(article=article, by=organiser)
    article.refresh_from_db()
    assert (article.state, article.reviewed_by) == (State.PUBLISHED, organiser)
    assert article.published_at is not None


def test_article_services_refuse_anyone_but_organisers(user):
    article = DraftFactory()
    with pytest.raises(PermissionDenied):
        services.article_submit(article=article, by=user)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=user)
    article.refresh_from_db()
    assert article.state == State.DRAFT


def test_article_publish_refuses_a_draft_that_was_not_reviewed(organiser):
    article = DraftFactory()
    with pytest.raises(ValidationError):
        services.article_publish(article=article, by=organiser)
    article.refresh_from_db()
    assert (article.state, article.published_at) == (State.DRAFT, None)


def test_article_submit_refuses_an_article_without_text(organiser):
    article = DraftFactory(body_en="", body_zh="  ")
    with pytest.raises(ValidationError):
        services.article_submit(article=article, by=organiser)
    assert Article.objects.get(pk=article.pk).state == State.DRAFT


def test_article_schedule_refuses_a_time_in_the_past(organiser):
    article = DraftFactory(state=State.IN_REVIEW)
    with pytest.raises(ValidationError) as error:
        services.article_schedule(
            article=article, by=organiser, publish_at=timezone.now() - timedelta(minutes=1)
        )
    assert "publish_at" in error.value.message_dict
    assert Article.objects.get(pk=article.pk).state == State.IN_REVIEW


def test_scheduled_article_is_published_by_the_periodic_task_once_due(organiser):
    article = DraftFactory(state=State.IN_REVIEW)
    when = timezone.now() + timedelta(hours=1)
    services.article_schedule(article=article, by=organiser, publish_at=when)
    assert tasks.publish_due() == 0
    assert Article.objects.get(pk=article.pk).state == State.SCHEDULED
    assert services.articles_publish_due(now=when + timedelta(seconds=1)) == 1
    article.refresh_from_db()
    assert (article.state, article.published_at) == (State.PUBLISHED, when)
    assert services.articles_publish_due(now=when + timedelta(seconds=2)) == 0


def test_article_return_to_draft_withdraws_a_published_article(organiser):
    article = ArticleFactory()
    services.article_return_to_draft(article=article, by=organiser)
    article.refresh_from_db()
    assert (article.state, article.published_at) == (State.DRAFT, None)
    with pytest.raises(ValidationError):
        services.article_return_to_draft(article=article, by=organiser)
