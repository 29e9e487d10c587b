"""What operators see of the running portal: request ids, the client's address, logs, metrics.

Every request carries an id (the proxy's `X-Request-ID` when it is a safe token, a new one
otherwise) that is kept in a context variable for the request, put on every log record and
returned in the response, so that nginx's, gunicorn's and the portal's lines about one request
can be found together. Log lines are one JSON object each in production; they carry what is
needed to follow a request (method, path without the query string, status, duration, client
address) and never the person behind it (no e-mail addresses, names or cookies).
"""

import contextvars
import hmac
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.utils.log import AdminEmailHandler

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hexadecimal characters; anything outside this alphabet could forge
# log lines or headers, so it is replaced rather than trusted.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
NO_REQUEST_ID = "-"
# The key under which the middleware leaves the client's address in the WSGI environ, where
# gunicorn's access log reads it (`%({ciep.client_ip}e)s`).
CLIENT_IP_ENVIRON_KEY = "ciep.client_ip"

_request_id = contextvars.ContextVar("request_id", default=NO_REQUEST_ID)
request_logger = logging.getLogger("ciep.request")


def current_request_id() -> str:
    """The id of the request being handled in this context, or "-" outside a request."""
    return _request_id.get()


def client_ip(request) -> str:
    """The client's address by the rule of allauth's rate limits, or "-" when there is none.

    With `ALLAUTH_TRUSTED_PROXY_COUNT` (from `DJANGO_TRUSTED_PROXIES`) set to N, it is the Nth
    address from the right of X-Forwarded-For; with 0, the peer's address. A request that
    reached the portal past its proxies (fewer addresses than proxies) shows its peer's
    address. Safe to call from logging: it never raises.
    """
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:
        return request.META.get("REMOTE_ADDR") or "-"


class RequestIdMiddleware:
    """Gives each request its id and writes the request's log line; first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        address = client_ip(request)
        # Under WSGI, META is the environ itself: the server's access log sees this too.
        request.META[CLIENT_IP_ENVIRON_KEY] = address
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "client_ip": address,
                },
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record: the current request's, or "-" outside a request.

    Django logs a 4xx or 5xx response once the middleware has returned; that record carries
    the request, whose id is taken from it.
    """

    def filter(self, record):
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


# Exception texts can quote a row (a unique e-mail address that already exists), and a path is
# whatever the visitor typed.
EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "client_ip")


def _without_addresses(text: str) -> str:
    return EMAIL_ADDRESS.sub("[email]", text)


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and request fields.

    Records of Django's `django.request` logger carry the request itself; only its method and
    path are written, never its headers, cookies or user.
    """

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": _without_addresses(record.getMessage()),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry.setdefault("method", request.method)
            entry.setdefault("path", request.path)
        if "path" in entry:
            entry["path"] = _without_addresses(str(entry["path"]))
        if hasattr(record, "status_code"):
            entry.setdefault("status", record.status_code)
        if record.exc_info:
            entry["exception"] = _without_addresses(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Mails errors to ADMINS through the task queue, so that a report never blocks a request.

    Queueing never raises: with the broker down the report is lost (and said so on stderr),
    the request that failed is answered all the same.
    """

    def send_mail(self, subject, message, *args, **kwargs):
        if not settings.ADMINS:
            return
        from ciep import tasks  # here: logging is set up before the apps are loaded

        try:
            # No publishing retries: a dead broker must not hold the request for seconds.
            tasks.mail_admins_task.apply_async((subject, message), retry=False)
        except Exception as error:
            sys.stderr.write(f"Error report not queued for the admins: {error!r}\n")


def metrics(request):
    """Prometheus metrics for a scraper holding `Authorization: Bearer <DJANGO_METRICS_TOKEN>`.

    Without the token (or with the token unset) the answer is the portal's ordinary 404: for
    the public the route does not exist. With `PROMETHEUS_MULTIPROC_DIR` set, django-prometheus
    gathers the figures of every gunicorn worker from that directory.
    """
    expected = settings.METRICS_TOKEN
    scheme, _, supplied = request.headers.get("Authorization", "").partition(" ")
    if not (
        expected
        and scheme.lower() == "bearer"
        and hmac.compare_digest(supplied.strip().encode(), expected.encode())
    ):
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    response = ExportToDjangoView(request)
    add_never_cache_headers(response)
    return response
