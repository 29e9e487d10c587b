from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from news.models import (
    Accreditation,
    Article,
    CommitteeMeeting,
    CommitteeMember,
    MediaFigure,
    WorkPlanItem,
)
from tests.conftest import sign_in_with_second_factor
from tests.news.factories import (
    AccreditationFactory,
    ArticleFactory,
    DraftFactory,
    MediaFigureFactory,
    PressKitItemFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/news/article/"


@pytest.fixture
def rows(edition):
    ArticleFactory(edition=edition)
    MediaFigureFactory(edition=edition)
    AccreditationFactory(edition=edition)
    PressKitItemFactory(edition=edition)
    CommitteeMember.objects.create(edition=edition, name_en="A", organisation_en="B", role_en="C")
    CommitteeMeeting.objects.create(edition=edition, date="2022-03-01", place_en="Shenzhen")
    WorkPlanItem.objects.create(
        edition=edition, title_en="Task", owner_en="Secretariat", due_date="2022-04-01"
    )


def test_every_news_admin_page_loads_for_organiser(client, organiser, rows):
    sign_in_with_second_factor(client, organiser)
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label != "news":
            continue
        changelist = reverse(f"admin:news_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist + "?q=a").status_code == 200, changelist
        add = client.get(reverse(f"admin:news_{opts.model_name}_add")).status_code
        # Journalists apply at the press centre; nobody adds an accreditation for them.
        assert add == (403 if model is Accreditation else 200), opts.model_name
        obj = model.objects.first()
        change = reverse(f"admin:news_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, change


def test_admin_actions_move_articles_through_review_to_publication(client, organiser, edition):
    sign_in_with_second_factor(client, organiser)
    draft = DraftFactory(edition=edition)
    client.post(CHANGELIST, {"action": "submit", "_selected_action": [draft.pk]})
    assert Article.objects.get(pk=draft.pk).state == "in_review"
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})
    published = Article.objects.get(pk=draft.pk)
    assert (published.state, published.reviewed_by) == ("published", organiser)


def test_admin_schedule_action_needs_a_time_and_reports_each_refusal(client, organiser, edition):
    sign_in_with_second_factor(client, organiser)
    when = timezone.now() + timedelta(days=1)
    timed = DraftFactory(edition=edition, state="in_review", publish_at=when)
    untimed = DraftFactory(edition=edition, state="in_review", title_en="Untimed")
    response = client.post(
        CHANGELIST,
        {"action": "schedule", "_selected_action": [timed.pk, untimed.pk]},
        follow=True,
    )
    assert Article.objects.get(pk=timed.pk).state == "scheduled"
    assert Article.objects.get(pk=untimed.pk).state == "in_review"
    shown = [str(message) for message in response.context["messages"]]
    assert "Untimed: Give the article a publication time first." in shown


def test_admin_new_article_is_a_draft_by_its_author_whatever_is_posted(client, organiser, edition):
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        "/admin/news/article/add/",
        {
            "category": "news",
            "edition": edition.pk,
            "title_en": "Written in the back office",
            "body_en": "Text.",
            "state": "published",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title_en="Written in the back office")
    assert (article.state, article.author, article.published_at) == ("draft", organiser, None)


def test_admin_media_figure_records_who_entered_it(client, organiser, edition):
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        "/admin/news/mediafigure/add/",
        {
            "edition": edition.pk,
            "key": "new_media_readership",
            "value": "32000000",
            "source_en": "WeChat, Weibo and Douyin statistics",
            "as_of": "2019-04-16",
        },
    )
    assert response.status_code == 302
    figure = MediaFigure.objects.get()
    assert (figure.value, figure.entered_by) == (32_000_000, organiser)


def test_news_admin_is_closed_to_people_who_are_not_staff(client, user):
    client.force_login(user)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
