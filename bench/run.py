"""Load benchmark of the portal on an edition the size of the 17th (run by ``make bench``).

1. Builds the data on PostgreSQL: ``generate_edition`` with the 17th edition's figures, as an
   edition still to come (number 27, in 2027) so that its jobs and sessions are open.
2. Serves the portal with gunicorn as in production (debugging off, persistent database
   connections, static files collected) with a Redis of its own on ``BENCH_REDIS_PORT`` as
   its cache (or the one in REDIS_URL).
3. Measures each page with wrk: anonymous visitors (16 connections) and one signed-in user
   (1 connection, after one second of warming every worker on the page), beside a trivial
   view of the same stack (``/health/``), the ceiling.
4. Counts each page's database queries with Django's test client.
5. Mixed traffic (``bench/mixed.py``): every page at random in both languages, with people
   signing in and writing beside the readers; ``BENCH_MIXED=0`` leaves it out and
   ``BENCH_TABLE=0`` leaves out the per-page table.

Prints a table and writes it to ``bench/results/latest.md``. Nothing here passes or fails on
a timing: the figures are for people to read.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import mixed
from edition import PYTHON, ROOT, SIZE, build_edition, django_setup, manage, production_env

DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ciep_bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
WORKERS = os.environ.get("BENCH_WORKERS", "4")
EDITION = os.environ.get("BENCH_EDITION", "27")
LUA = ROOT / "bench" / "percentiles.lua"
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6395"))
MIXED_DURATION = os.environ.get("BENCH_MIXED_DURATION", "10s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

# Behind one proxy, as in production: the client's address is the last of X-Forwarded-For.
ENV = production_env(DATABASE, DJANGO_CONN_MAX_AGE="600", DJANGO_TRUSTED_PROXIES="1")
RESULTS = ROOT / "bench" / "results"


def build_data():
    build_edition(ENV, EDITION)
    manage(ENV, "collectstatic", "--noinput", quiet=True)


def pages_and_user():
    """The pages to measure (picked from the data) and a signed-in user's session cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from ciep.models import User
    from exhibitions.models import Exhibitor
    from recruitment.models import JobPosting

    session_store = import_module(settings.SESSION_ENGINE).SessionStore

    exhibitor = Exhibitor.objects.filter(edition__number=EDITION).order_by("pk").first()
    job = JobPosting.objects.public().filter(edition__number=EDITION).order_by("pk").first()
    pages = [
        ("home page", "/"),
        ("edition report", f"/editions/{EDITION}/report/"),
        ("edition report JSON", f"/editions/{EDITION}/report.json"),
        ("exhibitor catalogue, filtered", f"/exhibition/editions/{EDITION}/?country=GB"),
        ("job list, keyword search", "/jobs/?q=engineer"),
        ("project list", "/projects/"),
        ("programme", f"/forum/editions/{EDITION}/"),
        ("booth page", f"/exhibition/exhibitors/{exhibitor.pk}/" if exhibitor else None),
        ("job page", f"/jobs/{job.pk}/" if job else None),
    ]
    user, _created = User.objects.get_or_create(
        email="bench@ciep.example", defaults={"name": "Bench User"}
    )
    session = session_store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return [(label, path) for label, path in pages if path], user, cookie


def count_queries(pages, user):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ciep.caching import forget_versions

    counts = {}
    for signed_in in (False, True):
        client = Client()
        if signed_in:
            client.force_login(user)
        for _label, path in pages:
            cache.clear()
            forget_versions()
            client.get(path)  # warm per-process caches (content types, translations)
            cache.clear()
            forget_versions()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts[(path, signed_in)] = (response.status_code, len(queries))
    return counts


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def wrk(path, *, connections, cookie=None, duration=DURATION):
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{PORT}{path}",
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    return json.loads(match.group(1))


def start_redis():
    """A Redis for this run alone (nothing saved to disk), unless REDIS_URL names one."""
    if os.environ.get("REDIS_URL"):
        return None
    if not shutil.which("redis-server"):
        sys.exit("redis-server is needed: apt-get install redis-server")
    redis = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_port(REDIS_PORT)
    ENV["REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
    return redis


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    redis = start_redis()
    try:
        bench()
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=20)


def bench():
    RESULTS.mkdir(exist_ok=True)
    build_data()
    django_setup(ENV)
    pages, user, cookie = pages_and_user()
    queries = count_queries(pages, user)
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "ciep.wsgi",
            "--workers",
            WORKERS,
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,  # the access log (errors still reach stderr)
        start_new_session=True,
    )
    try:
        wait_for_port(PORT)
        for label, path in pages:  # fill the page cache once, as visitors would
            try:
                urlopen(f"http://127.0.0.1:{PORT}{path}").read()
            except HTTPError as error:
                raise SystemExit(f"{label} ({path}) answered {error.code}") from error
        ceiling = wrk("/health/", connections=16)
        ceiling_signed = wrk("/health/", connections=1, cookie=cookie)
        rows = []
        for label, path in pages if os.environ.get("BENCH_TABLE", "1") == "1" else []:
            anonymous = wrk(path, connections=16)
            # Every worker draws the page once before it is timed, as in a running portal.
            wrk(path, connections=int(WORKERS), cookie=cookie, duration="1s")
            signed = wrk(path, connections=1, cookie=cookie, duration="5s")
            rows.append((label, path, anonymous, signed))
        mixed_report = ""
        if os.environ.get("BENCH_MIXED", "1") == "1":
            mixed_report = mixed.run(
                port=PORT,
                server_pid=server.pid,
                edition_number=EDITION,
                duration=MIXED_DURATION,
                rounds=ROUNDS,
                ceiling_of=lambda: wrk("/health/", connections=16, duration="5s"),
                results_dir=RESULTS,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    lines = [
        f"Data: generate_edition {EDITION} {' '.join(SIZE)}",
        f"Server: gunicorn, {WORKERS} workers, DEBUG off, CONN_MAX_AGE 600, "
        f"cache Redis; "
        f"machine: {os.cpu_count()} cores.",
        "",
        "| page | anonymous req/s | ratio to ceiling | median ms | p95 ms | signed-in median ms "
        "(1 user) | signed-in p95 ms | queries anonymous / signed-in |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| ceiling: /health/ | {ceiling['rps']:.0f} | 1.00 | {ceiling['p50']:.1f} | "
        f"{ceiling['p95']:.1f} | {ceiling_signed['p50']:.1f} | {ceiling_signed['p95']:.1f} "
        "| 0 / 0 |",
    ]
    for label, path, anonymous, signed in rows:
        anon_status, anon_queries = queries[(path, False)]
        signed_status, signed_queries = queries[(path, True)]
        lines.append(
            f"| {label} (`{path}`) | {anonymous['rps']:.0f} | "
            f"{anonymous['rps'] / ceiling['rps']:.2f} | {anonymous['p50']:.1f} | "
            f"{anonymous['p95']:.1f} | {signed['p50']:.1f} | {signed['p95']:.1f} | "
            f"{anon_queries} / {signed_queries} |"
        )
    report = "\n".join(lines) + ("\n\n" + mixed_report if mixed_report else "")
    print(report)
    (RESULTS / "latest.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
