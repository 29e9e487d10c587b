import pytest

pytestmark = pytest.mark.django_db


def test_chinese_catalogue_is_complete():
    from pathlib import Path

    import polib
    from django.conf import settings

    path = Path(settings.BASE_DIR) / "exhibitions/locale/zh_Hans/LC_MESSAGES/django.po"
    catalogue = polib.pofile(str(path))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_catalogue_page_in_chinese(client, edition):
    page = client.get("/zh-hans/exhibition/").content.decode()
    assert "云展厅" in page
    assert "查找参展商" in page
