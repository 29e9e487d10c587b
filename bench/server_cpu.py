"""What a page costs the app server: CPU time of one gunicorn worker per request, on the 17th
edition's data (database ciep_bench, built by ``make bench``).

A wall clock measures the whole machine: on a shared one it moves with whatever else runs.
This counts only the worker's own CPU (``/proc/<pid>/stat``, over batches of requests sent one
at a time), which other processes' load moves much less, and prints it per request beside
that of ``/health/``. For each kind of page it asks, in turn:

- **hit**: the same address again, the page in the page cache;
- **miss**: a different object's page each time (a booth, job, project or session not asked
  for before), as the long tail of a fair's addresses is, with the shared parts warm;
- **signed in**: the same pages for a signed-in person, drawn for them every time;

and the steps of a writer: the sign-in form and a save of a job (POST).

    python bench/server_cpu.py            # uses ciep_bench and a Redis of its own
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import requests
from edition import PYTHON, ROOT, cpu_seconds, django_setup, production_env, worker_pids
from run import pages_and_user, wait_for_port

DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ciep_bench")
EDITION = os.environ.get("BENCH_EDITION", "27")
PORT = 8767
REDIS_PORT = 6396
BATCH = int(os.environ.get("BENCH_BATCH", "40"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def objects():
    """Addresses of many objects of each kind, none asked for yet."""
    from exhibitions.models import Exhibitor
    from forums.models import Session
    from projects.models import Project
    from recruitment.models import JobPosting

    def pks(queryset):
        return list(queryset.order_by("pk").values_list("pk", flat=True)[: 4 * BATCH])

    return {
        "booth page": [
            f"/exhibition/exhibitors/{pk}/"
            for pk in pks(Exhibitor.objects.filter(edition__number=EDITION))
        ],
        "job page": [
            f"/jobs/{pk}/"
            for pk in pks(JobPosting.objects.public().filter(edition__number=EDITION))
        ],
        "project page": [f"/projects/{pk}/" for pk in pks(Project.objects.published())],
        "session page": [
            f"/forum/sessions/{pk}/" for pk in pks(Session.objects.filter(edition__number=EDITION))
        ],
    }


def per_request(pid, http, paths, headers=None, method="GET", data=None):
    """Median over three batches of the worker's CPU milliseconds per request."""
    figures = []
    paths = list(paths)
    for batch in range(3):
        chosen = [paths[(batch * BATCH + index) % len(paths)] for index in range(BATCH)]
        before = cpu_seconds(pid)
        for path in chosen:
            response = http.request(
                method,
                f"http://127.0.0.1:{PORT}{path}",
                headers=headers,
                data=data,
                allow_redirects=False,
            )
            if response.status_code >= 400:
                raise SystemExit(f"{path} answered {response.status_code}")
        figures.append((cpu_seconds(pid) - before) * 1000 / BATCH)
    return statistics.median(figures)


def main():
    env = production_env(DATABASE, REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0")
    env["DJANGO_RATE_LIMITS"] = '{"account_login": "100000/m/ip"}'
    if not shutil.which("redis-server"):
        sys.exit("redis-server is needed: apt-get install redis-server")
    redis = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_port(REDIS_PORT)
    django_setup(env)
    pages, _user, cookie = pages_and_user()
    kinds = objects()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "ciep.wsgi", "--workers", "1", "--timeout", "300"]
        + ["--max-requests", "0"]
        + [
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            os.environ.get("BENCH_LOG_LEVEL", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(PORT)
        requests.get(f"http://127.0.0.1:{PORT}/health/", timeout=60)
        (pid,) = worker_pids(server.pid)
        http = requests.Session()
        signed_in = {"Cookie": cookie}
        rows = []
        health = per_request(pid, http, ["/health/"] * 5)
        rows.append(("ceiling: /health/", health, None, None))
        for label, path in pages:
            per_request(pid, http, [path], signed_in)  # warm the worker and the shared parts
            rows.append(
                (
                    label,
                    per_request(pid, http, [path]),
                    None,
                    per_request(pid, http, [path], signed_in),
                )
            )
        for label, paths in kinds.items():
            hit = per_request(pid, http, paths[:1])
            miss = per_request(pid, http, paths[1 : 3 * BATCH + 1])
            rows.append((label, hit, miss, per_request(pid, http, paths[1:], signed_in)))
        login = per_request(pid, requests.Session(), ["/accounts/login/"])
        job = kinds["job page"][0]
        token = TOKEN.search(http.get(f"http://127.0.0.1:{PORT}{job}", headers=signed_in).text)
        csrf = http.cookies.get("csrftoken") or ""
        save = per_request(
            pid,
            http,
            [f"{job}save/"],
            {**signed_in, "Cookie": f"{cookie}; csrftoken={csrf}", "Referer": "http://127.0.0.1"},
            method="POST",
            data={"csrfmiddlewaretoken": token.group(1) if token else ""},
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=20)

    def cell(value):
        return "" if value is None else f"{value:.1f} ({value / health:.1f}×)"

    print(f"CPU of one gunicorn worker per request, ms (× /health/), batches of {BATCH}:")
    print("| page | anonymous, cached | anonymous, not cached | signed in |")
    print("| --- | ---: | ---: | ---: |")
    for label, hit, miss, signed in rows:
        print(f"| {label} | {cell(hit)} | {cell(miss)} | {cell(signed)} |")
    print(f"| the sign-in form (GET) | {cell(login)} | | |")
    print(f"| save a job (POST) | | | {cell(save)} |")


if __name__ == "__main__":
    main()
