from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from news import services
from tests.conftest import sign_in
from tests.factories import EditionFactory, FieldFactory
from tests.news.factories import ArticleFactory, DraftFactory

pytestmark = pytest.mark.django_db

LIST = "/news/"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_article_list_shows_published_articles_newest_first(client, edition):
    old = ArticleFactory(edition=edition, title_en="Old news")
    new = ArticleFactory(edition=edition, title_en="New news")
    DraftFactory(edition=edition, title_en="Secret draft")
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["articles"]) == [new, old]
    assert "Secret draft" not in response.content.decode()


def test_article_list_filters_by_category_edition_field_and_search(client, edition):
    field = FieldFactory(slug="5g")
    other_edition = EditionFactory()
    release = ArticleFactory(
        edition=edition, category="press_release", title_en="Opening", fields=[field]
    )
    ArticleFactory(edition=other_edition, title_en="Closing")
    assert list(client.get(LIST, {"category": "press_release"}).context["articles"]) == [release]
    assert list(client.get(LIST, {"edition": edition.number}).context["articles"]) == [release]
    assert list(client.get(LIST, {"field": "5g"}).context["articles"]) == [release]
    assert list(client.get(LIST, {"q": "新闻"}).context["articles"]) != []
    response = client.get(LIST, {"q": "nothing like this"})
    assert list(response.context["articles"]) == []
    assert "No article matches these filters." in response.content.decode()


def test_article_list_with_a_bad_filter_value_answers_200_with_an_error(client, edition):
    ArticleFactory(edition=edition)
    response = client.get(LIST, {"edition": "not-a-number", "category": "nonsense"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_article_list_query_count_does_not_grow(client, edition, django_assert_num_queries):
    field = FieldFactory()
    ArticleFactory(edition=edition, fields=[field])
    with django_assert_num_queries(5) as one:
        client.get(LIST, {"q": "Article"})
    for _ in range(30):
        ArticleFactory(edition=edition, fields=[field])
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(LIST, {"q": "Article"})


def test_article_list_in_chinese_shows_chinese_titles(client, edition):
    ArticleFactory(edition=edition, title_en="Opening ceremony", title_zh="开幕式")
    body = client.get("/zh-hans/news/").content.decode()
    assert "开幕式" in body
    assert "Opening ceremony" not in body


def test_article_detail_shows_text_share_links_and_open_graph(client, edition):
    article = ArticleFactory(edition=edition, title_en="Opening ceremony")
    response = client.get(article.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert '<meta property="og:type" content="article">' in body
    assert '<meta property="og:title" content="Opening ceremony">' in body
    assert "article:published_time" in body
    assert "service.weibo.com/share/share.php?url=" in body
    assert "www.linkedin.com/sharing/share-offsite/?url=" in body
    assert 'class="qr-code"' in body
    assert "<p>The first paragraph.</p>" in body


def test_article_detail_of_a_draft_is_404_but_organisers_preview_it(client, user, organiser):
    draft = DraftFactory()
    assert client.get(draft.get_absolute_url()).status_code == 404
    sign_in(client, user)
    assert client.get(draft.get_absolute_url()).status_code == 404
    sign_in(client, organiser)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview for organisers" in response.content.decode()


def test_article_pages_are_cached_for_anonymous_visitors_and_refreshed_by_a_change(
    client, edition, organiser
):
    article = ArticleFactory(edition=edition, title_en="First title")
    assert client.get(LIST)["X-Page-Cache"] == "miss"
    assert client.get(LIST)["X-Page-Cache"] == "hit"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    services.article_return_to_draft(article=article, by=organiser)
    assert client.get(article.get_absolute_url()).status_code == 404
    response = client.get(LIST)
    assert response["X-Page-Cache"] == "miss"
    assert "First title" not in response.content.decode()


def test_feed_is_atom_in_the_language_of_its_address(client, edition):
    ArticleFactory(edition=edition, title_en="Opening ceremony", title_zh="开幕式")
    DraftFactory(edition=edition, title_en="Secret draft")
    english = ElementTree.fromstring(client.get(reverse("news:feed")).content)
    assert [entry.find(f"{ATOM}title").text for entry in english.iter(f"{ATOM}entry")] == [
        "Opening ceremony"
    ]
    with translation.override("zh-hans"):
        url = reverse("news:feed")
    assert url == "/zh-hans/news/feed/"
    chinese = ElementTree.fromstring(client.get(url).content)
    assert [entry.find(f"{ATOM}title").text for entry in chinese.iter(f"{ATOM}entry")] == ["开幕式"]
    assert chinese.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-hans"


def test_home_and_edition_pages_show_the_latest_news(client, edition):
    other = EditionFactory()
    ArticleFactory(edition=edition, title_en="About this edition")
    ArticleFactory(edition=None, title_en="About the conference")
    ArticleFactory(edition=other, title_en="About another edition")
    DraftFactory(edition=edition, title_en="Secret draft")
    home = client.get("/").content.decode()
    assert "About this edition" in home
    assert "About the conference" in home
    assert "About another edition" not in home
    assert "Secret draft" not in home
    page = client.get(other.get_absolute_url()).content.decode()
    assert "About another edition" in page
    assert "About this edition" not in page


def test_home_page_refreshes_when_an_article_is_published(client, edition, organiser):
    article = DraftFactory(edition=edition, state="in_review", title_en="Fresh news")
    assert "Fresh news" not in client.get("/").content.decode()
    services.article_publish(article=article, by=organiser)
    assert "Fresh news" in client.get("/").content.decode()
