"""A text shown in the other language because the reader's is empty carries its own ``lang``."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import EditionFactory
from tests.forums.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


def test_fallback_text_is_marked_with_its_language():
    edition = EditionFactory.build(slogan_en="Gather talent", slogan_zh="")

    with translation.override("zh-hans"):
        html = _render('<p{% lang_of edition "slogan" %}>{{ edition.slogan }}</p>', edition=edition)

    assert html == '<p lang="en">Gather talent</p>'


def test_text_in_the_readers_language_has_no_lang_of_its_own():
    edition = EditionFactory.build(slogan_en="Gather talent", slogan_zh="聚天下英才")

    with translation.override("zh-hans"):
        chinese = _render(
            '<p{% lang_of edition "slogan" %}>{{ edition.slogan }}</p>', edition=edition
        )
    with translation.override("en"):
        english = _render(
            '<p{% lang_of edition "slogan" %}>{{ edition.slogan }}</p>', edition=edition
        )

    assert (chinese, english) == ("<p>聚天下英才</p>", "<p>Gather talent</p>")


def test_chinese_fallback_on_an_english_page_is_marked_chinese():
    edition = EditionFactory.build(slogan_en="", slogan_zh="聚天下英才")

    with translation.override("en"):
        html = _render('<p{% lang_of edition "slogan" %}>{{ edition.slogan }}</p>', edition=edition)

    assert html == '<p lang="zh-Hans">聚天下英才</p>'


def test_session_page_marks_the_english_abstract_on_the_chinese_page(client):
    session = SessionFactory(abstract_en="Talent and innovation.", abstract_zh="")

    with translation.override("zh-hans"):
        url = session.get_absolute_url()

    html = client.get(url).content.decode()

    assert f"<h1>{session.title_zh}</h1>" in html
    assert '<p lang="en">Talent and innovation.</p>' in html
