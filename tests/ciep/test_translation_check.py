import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs GNU gettext (Debian's gettext)"
)


def _copy_of_source(tmp_path) -> Path:
    copy = tmp_path / "source"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "media", "private", "*.sqlite3"),
    )
    return copy


def test_check_translations_passes_on_the_catalogues_as_committed(capsys):
    call_command("check_translations")

    assert capsys.readouterr().out == "Every translatable text has a Chinese translation.\n"


def test_check_translations_names_a_text_without_translation(tmp_path, settings):
    copy = _copy_of_source(tmp_path)
    (copy / "templates" / "untranslated_probe.html").write_text(
        "{% load i18n %}{% translate 'A text nobody translated yet' %}\n"
    )
    settings.BASE_DIR = copy

    with pytest.raises(CommandError) as raised:
        call_command("check_translations")

    assert str(raised.value) == (
        "1 text(s) without a Chinese translation:\n"
        "locale/zh_Hans/LC_MESSAGES/django.po: untranslated "
        "'A text nobody translated yet' (templates/untranslated_probe.html:1)"
    )


def test_check_translations_refuses_a_translation_that_drops_a_placeholder(tmp_path, settings):
    copy = _copy_of_source(tmp_path)
    catalogue = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    catalogue.write_text(
        catalogue.read_text()
        + '\n#, python-format\nmsgid "%(count)s seats left"\nmsgstr "剩余座位"\n'
    )
    settings.BASE_DIR = copy

    with pytest.raises(CommandError) as raised:
        call_command("check_translations")

    assert str(raised.value).startswith("locale/zh_Hans/LC_MESSAGES/django.po:\n")
    assert "a format specification for argument 'count' doesn't exist" in str(raised.value)
