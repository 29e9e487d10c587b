"""A service failing, as a visitor meets it: Redis down or silent, the database down, a bug."""

import contextlib
import socket
import time

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from ciep import health, selectors
from ciep.celery import app as celery_app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers (a hung Redis or broker)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


def redis_at(settings, port):
    settings.CACHES = {
        alias: {
            "BACKEND": "ciep.redis_cache.PortalRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
        for alias in ("default", "sessions")
    }


PAGES = ["/", "/zh-hans/", "/exhibition/", "/jobs/", "/projects/", "/forum/", "/zh-hans/jobs/"]


@pytest.mark.parametrize("redis", ["down", "silent"])
def test_pages_are_drawn_from_the_database_while_redis_fails(
    client, settings, edition, silent_server, redis
):
    redis_at(settings, closed_port() if redis == "down" else silent_server)
    started = time.monotonic()
    assert [client.get(page).status_code for page in PAGES] == [200] * len(PAGES)
    # The timeout is paid once, not once per cache operation of every page.
    assert time.monotonic() - started < 5

    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("ciep:dashboard")).status_code == 200


def test_sign_in_works_while_redis_is_down(client, settings, edition):
    redis_at(settings, closed_port())
    user = UserFactory(email="ana@example.org", password="a-long-pass-2022")
    response = client.post(
        reverse("account_login"), {"login": "ana@example.org", "password": "a-long-pass-2022"}
    )
    assert response.status_code == 302
    assert client.get(reverse("ciep:dashboard")).context["user"] == user


@contextlib.contextmanager
def database_down():
    """Every query fails to reach the database, as when its server is stopped: Django turns the
    driver's connection error into ``OperationalError`` where it connects."""
    real = connection.ensure_connection

    def refuse():
        raise OperationalError("could not connect to server: Connection refused")

    connection.ensure_connection = refuse
    try:
        yield
    finally:
        connection.ensure_connection = real


@pytest.mark.django_db(transaction=True)
def test_database_down_is_a_503_in_the_visitors_language(client, edition):
    client.raise_request_exception = False
    assert client.get("/zh-hans/editions/").status_code == 200  # cached for visitors
    with database_down():
        cached = client.get("/zh-hans/editions/")
        english = client.get("/organisations/1/")
        chinese = client.get("/zh-hans/organisations/1/")
    assert cached.status_code == 200
    assert (english.status_code, english["Retry-After"]) == (503, "30")
    assert "The portal is temporarily unavailable" in english.content.decode()
    assert "Nothing you saved has been lost." in english.content.decode()
    assert chinese.status_code == 503
    assert '<html lang="zh-Hans">' in chinese.content.decode()
    assert "您保存的内容都没有丢失" in chinese.content.decode()


def test_server_error_page_promises_nothing_and_gives_a_reference(client, monkeypatch, edition):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "current_edition", broken)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x"  # not served from the page cache
    response = client.get("/", HTTP_X_REQUEST_ID="0123456789abcdef")
    body = response.content.decode()
    assert response.status_code == 500
    assert "The organisers have been told" not in body
    assert "Please try again in a few minutes." in body
    assert "<code>0123456789abcdef</code>" in body
    assert response["X-Request-ID"] == "0123456789abcdef"


def test_readiness_checks_every_dependency(client):
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert sorted(response.json()["checks"]) == ["broker", "cache", "database", "storage"]
    assert all(check["ok"] for check in response.json()["checks"].values())


@pytest.mark.parametrize("broker", ["down", "silent"])
def test_readiness_fails_fast_with_the_broker_unreachable(client, settings, silent_server, broker):
    port = closed_port() if broker == "down" else silent_server
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    try:
        started = time.monotonic()
        response = client.get("/ready/")
    finally:
        celery_app.conf.broker_url = previous
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["broker"]["ok"], checks["database"]["ok"]) == (False, True)
    assert client.get("/health/").status_code == 200


def test_readiness_is_503_while_draining(client, monkeypatch):
    monkeypatch.setattr(health, "_draining", False)
    health.start_draining()
    assert health.is_draining()
    response = client.get("/ready/")
    assert (response.status_code, response.json()) == (503, {"status": "draining"})
    assert client.get("/health/").status_code == 200


def test_readiness_reports_redis_down(client, settings):
    redis_at(settings, closed_port())
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
