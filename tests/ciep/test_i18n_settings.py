import io
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from ciep.models import Edition

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
AREA_APPS = ("exhibitions", "recruitment", "projects", "forums")


def test_language_switch_keeps_the_page(client, edition):
    page = client.get(edition.get_absolute_url() + "?tab=1").content.decode()
    link = f"/language/zh-hans/?next=/editions/{edition.number}/%3Ftab%3D1"
    assert f'href="{link}" hreflang="zh-Hans"' in page
    assert client.get(link)["Location"] == f"/zh-hans/editions/{edition.number}/?tab=1"
    page = client.get(f"/zh-hans/editions/{edition.number}/").content.decode()
    link = f"/language/en/?next=/zh-hans/editions/{edition.number}/"
    assert f'href="{link}" hreflang="en"' in page
    assert client.get(link)["Location"] == f"/editions/{edition.number}/"
    response = client.post(
        "/i18n/setlang/", {"language": "zh-hans", "next": edition.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/zh-hans/editions/{edition.number}/"
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": f"/editions/{edition.number}/"}
    )
    assert response["Location"] == f"/editions/{edition.number}/"


def test_content_falls_back_to_other_language(client, edition):
    edition.title_zh = ""
    edition.save()
    body = client.get("/zh-hans/").content.decode()
    assert edition.title_en in body
    assert 'lang="zh-Hans"' in body


def test_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_demo_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    before = {model: model.objects.count() for model in apps.get_models()}
    call_command("seed_demo", stdout=io.StringIO())
    after = {model: model.objects.count() for model in apps.get_models()}
    assert before == after
    assert before[Edition] == 2
    assert Edition.objects.get(is_current=True).number == 20


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 64 + "-production-secret-key-for-the-deploy-check",
        "DJANGO_ALLOWED_HOSTS": "ciep.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_collectstatic_with_production_settings(tmp_path):
    """Hashed, compressed static files build: every file a stylesheet points to exists."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 64,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_missing_secret_key_refuses_to_start():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_one_translation_per_message_across_catalogues():
    """The same text means the same everywhere; different meanings carry a context."""
    translations = {}
    catalogues = [ROOT / "locale"] + [ROOT / app / "locale" for app in AREA_APPS]
    for folder in catalogues:
        path = folder / "zh_Hans/LC_MESSAGES/django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            translations.setdefault((entry.msgctxt, entry.msgid), set()).add(entry.msgstr)
    conflicts = {key: values for key, values in translations.items() if len(values) > 1}
    assert conflicts == {}


def test_area_catalogues_are_complete():
    for app in AREA_APPS:
        path = ROOT / app / "locale/zh_Hans/LC_MESSAGES/django.po"
        if path.exists():
            catalogue = polib.pofile(str(path))
            assert [entry.msgid for entry in catalogue.untranslated_entries()] == [], app
            assert [entry.msgid for entry in catalogue.fuzzy_entries()] == [], app
