"""`PORT=8100 make run` serves on that port, and the portal's links (mails, calendars) name it."""

import os
import subprocess
import sys

from django.conf import settings


def settings_value(code, **environ):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "PORT"
    }
    env.update({"DJANGO_SETTINGS_MODULE": "ciep.settings", "DJANGO_DEBUG": "1", **environ})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


LINKS = (
    "from django.conf import settings; from ciep.mail import site_url;"
    "from ciep.adapters import PORTAL_SITE;"
    "print(settings.PORTAL_URL, site_url(), PORTAL_SITE.domain)"
)


def test_portal_url_defaults_to_port_8000():
    assert settings_value(LINKS) == "http://127.0.0.1:8000 http://127.0.0.1:8000 127.0.0.1:8000"


def test_portal_url_follows_the_port_of_make_run():
    assert settings_value(LINKS, PORT="8100") == (
        "http://127.0.0.1:8100 http://127.0.0.1:8100 127.0.0.1:8100"
    )


def test_public_address_wins_over_the_port():
    value = settings_value(LINKS, PORT="8100", DJANGO_PORTAL_URL="https://ciep.example.org/")
    assert value == "https://ciep.example.org/ https://ciep.example.org ciep.example.org"


def test_empty_port_falls_back_to_8000():
    assert settings_value(LINKS, PORT="") == (
        "http://127.0.0.1:8000 http://127.0.0.1:8000 127.0.0.1:8000"
    )


def make_run_commands(**environ):
    env = {key: value for key, value in os.environ.items() if key != "PORT"}
    env.update(environ)
    result = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "runserver" in line]


def test_make_run_serves_on_port_from_the_environment():
    assert make_run_commands(PORT="8100") == [".venv/bin/python manage.py runserver 127.0.0.1:8100"]
    assert make_run_commands() == [".venv/bin/python manage.py runserver 127.0.0.1:8000"]
