import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# What ``make messages`` leaves out, and what is not source.
NOT_SOURCE = (
    ".git",
    ".venv",
    "staticfiles",
    "media",
    "private",
    "bench",
    "__pycache__",
    "*.sqlite3",
)


class Command(BaseCommand):
    help = (
        "Fail when a catalogue is malformed (GNU msgfmt --check: placeholders such as "
        "%(name)s that differ between a text and its translation) or a translatable text has "
        "no Chinese translation (or only a fuzzy one). The texts are extracted from a copy "
        "of the source, so the catalogues here stay as they are."
    )

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        for catalogue in sorted(base.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
            if ".venv" in catalogue.parts:
                continue
            checked = subprocess.run(
                ["msgfmt", "--check", "--output-file=/dev/null", str(catalogue)],
                capture_output=True,
                text=True,
            )
            if checked.returncode:
                raise CommandError(f"{catalogue.relative_to(base)}:\n{checked.stderr.strip()}")
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "source"
            shutil.copytree(base, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
                cwd=copy,
                check=True,
                capture_output=True,
            )
            missing = []
            for catalogue in sorted(copy.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
                for entry in polib.pofile(str(catalogue)):
                    if entry.obsolete or entry.translated():
                        continue
                    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
                    state = "fuzzy" if entry.fuzzy else "untranslated"
                    missing.append(
                        f"{catalogue.relative_to(copy)}: {state} {entry.msgid!r} ({where})"
                    )
        if missing:
            raise CommandError(
                f"{len(missing)} text(s) without a Chinese translation:\n" + "\n".join(missing)
            )
        self.stdout.write("Every translatable text has a Chinese translation.")
