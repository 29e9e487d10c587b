from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.forums.factories import SessionFactory

CATALOGUE = Path(settings.BASE_DIR) / "forums/locale/zh_Hans/LC_MESSAGES/django.po"


def test_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.django_db
def test_session_page_in_chinese(client):
    session = SessionFactory(title_zh="人才论坛", capacity=10)
    body = client.get("/zh-hans" + reverse("forums:session_detail", args=[session.pk])).content
    body = body.decode()
    assert "人才论坛" in body
    assert "登录后报名" in body
    assert "共 10 个，剩余 10 个" in body
