from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.projects.factories import ProjectFactory

CATALOGUE = Path(settings.BASE_DIR) / "projects/locale/zh_Hans/LC_MESSAGES/django.po"


def test_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.django_db
def test_project_pages_in_chinese(client, edition):
    project = ProjectFactory(edition=edition, title_en="Photonics", title_zh="光子学")
    detail_url = "/zh-hans" + project.get_absolute_url()
    body = client.get("/zh-hans" + reverse("projects:project_list")).content.decode()
    assert "项目合作" in body and "光子学" in body and "筛选项目" in body
    body = client.get(detail_url).content.decode()
    assert "供给" in body and "技术转移" in body
