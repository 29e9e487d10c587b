import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from ciep import observability, tasks
from ciep.settings import env_addresses
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log():
    """The portal's request lines as its production handler writes them (JSON)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(observability.RequestIdFilter())
    handler.setFormatter(observability.JSONFormatter())
    logger = logging.getLogger("ciep.request")
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(previous_level)


def fail_logins(client, count, **headers):
    for attempt in range(count):
        client.post(
            reverse("account_login"),
            {"login": f"nobody{attempt}@example.org", "password": "wrong"},
            **headers,
        )


def test_failed_logins_behind_a_proxy_do_not_lock_out_another_client(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    fail_logins(client, 10, HTTP_X_FORWARDED_FOR="203.0.113.1")
    blocked = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.1",
    )
    assert blocked.status_code == 429

    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.2",
    )
    assert response.status_code == 302
    assert client.get(reverse("ciep:dashboard")).status_code == 200


def test_forged_forwarded_for_is_ignored_without_proxies(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    user = UserFactory()
    fail_logins(client, 10, HTTP_X_FORWARDED_FOR="203.0.113.1")
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.2",
    )
    assert response.status_code == 429
    assert "<h1>Too many requests</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.1", "127.0.0.1"),
        (1, "198.51.100.7, 203.0.113.2", "203.0.113.2"),
        (2, "198.51.100.7, 203.0.113.2, 10.0.0.1", "203.0.113.2"),
        (2, "203.0.113.2", "127.0.0.1"),
    ],
)
def test_client_ip_follows_the_rate_limit_rule(rf, settings, proxies, forwarded_for, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR="127.0.0.1")
    assert observability.client_ip(request) == expected


def test_request_id_from_proxy_is_kept_and_logged(client, settings, request_log):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    response = client.get(
        "/health/?email=someone@example.org",
        HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    [line] = request_log()
    assert set(line) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
        "client_ip",
    }
    assert (line["level"], line["logger"], line["message"]) == (
        "INFO",
        "ciep.request",
        "GET /health/ 200",
    )
    assert (line["request_id"], line["method"], line["path"], line["status"]) == (
        "0123456789abcdef0123456789abcdef",
        "GET",
        "/health/",
        200,
    )
    assert line["client_ip"] == "203.0.113.9"


@pytest.mark.parametrize("incoming", [None, "short", "bad id with spaces", 'x"\n' * 4, "a" * 65])
def test_request_id_is_made_when_missing_or_unsafe(client, incoming):
    headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
    response = client.get("/health/", **headers)
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != incoming
    assert observability.SAFE_REQUEST_ID.match(response["X-Request-ID"])


def test_request_ids_differ_between_requests(client):
    assert client.get("/health/")["X-Request-ID"] != client.get("/health/")["X-Request-ID"]


def test_filter_gives_dash_outside_a_request():
    record = logging.LogRecord("ciep.tasks", logging.INFO, __file__, 1, "queued", None, None)
    assert observability.RequestIdFilter().filter(record) is True
    assert record.request_id == "-"
    assert json.loads(observability.JSONFormatter().format(record))["request_id"] == "-"


def test_django_error_lines_carry_the_request_id_and_no_addresses(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(observability.RequestIdFilter())
    handler.setFormatter(observability.JSONFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no-such-page/someone@example.org/", HTTP_COOKIE="sessionid=secret")
    finally:
        logger.removeHandler(handler)
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["level"], line["status"], line["method"]) == ("WARNING", 404, "GET")
    assert line["message"] == "Not Found: /no-such-page/[email]/"
    assert "example.org" not in stream.getvalue()
    assert "secret" not in stream.getvalue()


def test_metrics_are_not_found_without_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Basic s3cret-token").status_code == 404


def test_metrics_are_not_found_when_no_token_is_set(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_with_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    client.get("/health/")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "django_http_requests_total" in response.content.decode()


def test_metrics_are_not_redirected_to_https(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 301
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200


def test_admins_are_parsed_from_the_environment(monkeypatch):
    monkeypatch.setenv(
        "DJANGO_ADMINS", 'Li Wei <li.wei@example.org>, "Smith, Ann" <ann@example.org>'
    )
    assert env_addresses("DJANGO_ADMINS") == [
        ("Li Wei", "li.wei@example.org"),
        ("Smith, Ann", "ann@example.org"),
    ]
    monkeypatch.setenv("DJANGO_ADMINS", "ops@example.org")
    assert env_addresses("DJANGO_ADMINS") == [("ops@example.org", "ops@example.org")]
    monkeypatch.setenv("DJANGO_ADMINS", "")
    assert env_addresses("DJANGO_ADMINS") == []


def test_admins_without_an_address_are_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("DJANGO_ADMINS", "Li Wei")
    with pytest.raises(ImproperlyConfigured):
        env_addresses("DJANGO_ADMINS")


def error_record():
    return logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /", None, None
    )


def test_admin_report_is_queued(monkeypatch, settings):
    settings.ADMINS = [("Ops", "ops@example.org")]
    queued = []
    monkeypatch.setattr(
        tasks.mail_admins_task,
        "apply_async",
        lambda args, **options: queued.append((args, options)),
    )
    observability.QueuedAdminEmailHandler().emit(error_record())
    [(args, options)] = queued
    assert args[0] == "ERROR: Internal Server Error: /"
    assert options == {"retry": False}
    assert mail.outbox == []


def test_admin_report_reaches_the_admins_through_the_task(settings, mailoutbox):
    settings.ADMINS = [("Ops", "ops@example.org")]
    observability.QueuedAdminEmailHandler().emit(error_record())
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["ops@example.org"], "[Django] ERROR: Internal Server Error: /")
    ]


def test_admin_report_handler_swallows_a_broker_failure(monkeypatch, settings, capsys):
    settings.ADMINS = [("Ops", "ops@example.org")]

    def broker_down(args, **options):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(tasks.mail_admins_task, "apply_async", broker_down)
    observability.QueuedAdminEmailHandler().emit(error_record())
    assert mail.outbox == []
    assert "not queued" in capsys.readouterr().err


def test_request_errors_go_to_the_queued_handler_only_with_admins():
    handlers = settings.LOGGING["loggers"]["django.request"]["handlers"]
    assert handlers == (["mail_admins"] if settings.ADMINS else [])
    assert settings.LOGGING["handlers"]["mail_admins"]["class"] == (
        "ciep.observability.QueuedAdminEmailHandler"
    )


def run_settings(code, **environ):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SENTRY_"))
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


def test_sentry_is_initialised_only_with_a_dsn():
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    assert run_settings(code) == "False"
    code = (
        "import json, sentry_sdk; o = sentry_sdk.get_client().options; "
        "print(json.dumps([o['send_default_pii'], o['environment'], o['release'], "
        "o['traces_sample_rate'], sorted(sentry_sdk.get_client().integrations)]))"
    )
    output = run_settings(
        code,
        SENTRY_DSN="https://public@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="2026.12",
    )
    send_default_pii, environment, release, traces, integrations = json.loads(output)
    assert (send_default_pii, environment, release, traces) == (False, "staging", "2026.12", 0.0)
    assert {"django", "celery"} <= set(integrations)


def test_log_format_follows_debug_unless_set():
    code = "from django.conf import settings; print(settings.LOG_FORMAT)"
    assert run_settings(code) == "text"
    assert run_settings(code, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x") == "json"
    assert run_settings(code, DJANGO_LOG_FORMAT="json") == "json"
