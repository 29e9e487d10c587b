"""Liveness and readiness, for load balancers and process managers.

``/health/`` says the process answers (no dependency is asked: a database outage must not make
an orchestrator restart every app server). ``/ready/`` says whether this server should get
traffic: the database, the cache, the task broker and both storages, each asked with a short
timeout, and not while the server drains on shutdown (gunicorn.conf.py calls
``start_draining`` when a worker is told to stop).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

_draining = False


def start_draining() -> None:
    global _draining
    _draining = True


def is_draining() -> bool:
    return _draining


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    check = getattr(cache, "check", None)
    if check is not None:
        check()
        return
    cache.set("ready:probe", 1, 10)
    if cache.get("ready:probe") != 1:
        raise RuntimeError("the cache does not keep what it is given")


def _broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # tasks run in-process: there is no broker to reach
    from ciep.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=1)


def _storages() -> None:
    for alias in ("default", "private"):
        storages[alias].exists("ready-probe")


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "storage": _storages}


def liveness(request):
    """A trivial page through the whole middleware stack: for load balancers and benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readiness(request):
    if _draining:
        return JsonResponse({"status": "draining"}, status=503)
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as error:  # any failure means "not ready", never a server error
            ready = False
            results[name] = {"ok": False, "error": type(error).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
