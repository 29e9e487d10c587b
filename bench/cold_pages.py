"""What a page costs when nothing is cached: queries and milliseconds, on the 17th edition's data.

Draws each page with Django's test client (debugging off, as in production) from an emptied
cache (the areas' versions read again first, as a running portal has them), a visitor and a
signed-in person in turn, several times, and prints per page its
queries and the median time, beside ``/health/`` drawn the same way: the ratio of a page's time
to that of ``/health/`` for a visitor moves less than milliseconds on a shared machine.

    python bench/cold_pages.py                 # builds nothing: uses ciep_bench as it is
    python bench/cold_pages.py --profile job   # a pyinstrument profile of one page, drawn cold

Run ``make bench`` (or ``bench/run.py``) once first to build the edition in ciep_bench.
"""

import argparse
import os
import statistics
import time

from edition import django_setup, production_env

DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ciep_bench")
EDITION = os.environ.get("BENCH_EDITION", "27")


def pages() -> dict[str, str]:
    from django.urls import reverse

    from exhibitions.models import Exhibitor
    from forums.models import Session
    from projects.models import Project
    from recruitment.models import JobPosting

    def middle(queryset):
        """An object from the middle of the list, not the first (often the smallest) one."""
        count = queryset.count()
        return queryset.order_by("pk")[count // 2] if count else None

    exhibitor = middle(Exhibitor.objects.filter(edition__number=EDITION))
    job = middle(JobPosting.objects.public().filter(edition__number=EDITION))
    project = middle(Project.objects.published())
    session = middle(Session.objects.filter(edition__number=EDITION))
    return {
        "health": "/health/",
        "booth": reverse("exhibitions:exhibitor_detail", args=[exhibitor.pk]),
        "job": reverse("recruitment:job_detail", args=[job.pk]),
        "project": reverse("projects:project_detail", args=[project.pk]),
        "session": reverse("forums:session_detail", args=[session.pk]),
        "catalogue": reverse("exhibitions:catalogue_edition", args=[EDITION]),
        "programme": reverse("forums:programme"),
    }


def draw_cold(client, path):
    """One drawing of ``path`` from an empty cache: (status, queries, milliseconds, and the
    milliseconds of this process's CPU, which another process's load moves less)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ciep.caching import forget_versions, page_apps, versions

    cache.clear()
    forget_versions()
    versions(page_apps())  # the areas' versions exist in a running portal: only pages are new
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu) * 1000
    return response.status_code, len(queries), elapsed, cpu


def measure(repeat: int):
    from django.test import Client

    from ciep.models import User

    user, _created = User.objects.get_or_create(
        email="bench@ciep.example", defaults={"name": "Bench User"}
    )
    visitor, signed_in = Client(), Client()
    signed_in.force_login(user)
    addresses = pages()
    rows = []
    for name, path in addresses.items():
        for who, client in (("visitor", visitor), ("signed in", signed_in)):
            draw_cold(client, path)  # per-process caches: templates, content types
            drawn = [draw_cold(client, path) for _ in range(repeat)]
            status = {status for status, *_rest in drawn}
            if status != {200}:
                raise SystemExit(f"{path} answered {status}")
            rows.append(
                (
                    name,
                    who,
                    path,
                    drawn[-1][1],
                    statistics.median(ms for _s, _q, ms, _cpu in drawn),
                    statistics.median(cpu for *_rest, cpu in drawn),
                )
            )
    health = next(row[4] for row in rows if row[:2] == ("health", "visitor"))
    print(f"Pages drawn from an empty cache, median of {repeat} (edition {EDITION}):")
    print("| page | who | queries | median ms | CPU ms (this process) | ratio to /health/ |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, who, path, queries, ms, cpu in rows:
        print(
            f"| {name} (`{path}`) | {who} | {queries} | {ms:.1f} | {cpu:.1f} | {ms / health:.1f} |"
        )


def profile(name: str):
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    path = pages()[name]
    draw_cold(client, path)
    profiler = Profiler(interval=0.0005)
    from django.core.cache import cache

    from ciep.caching import forget_versions

    for _ in range(5):
        cache.clear()
        forget_versions()
        profiler.start()
        client.get(path)
        profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--profile", metavar="PAGE", help="booth, job, project, session, ...")
    args = parser.parse_args()
    # The cache of a portal without Redis, of this process's own (``BENCH_REDIS_URL`` for a
    # Redis instead: one that nothing else uses, since it is emptied).
    django_setup(
        production_env(
            DATABASE,
            REDIS_URL=os.environ.get("BENCH_REDIS_URL", ""),
            DJANGO_CACHE_DIR="/tmp/ciep-cold-pages",
        )
    )
    if args.profile:
        profile(args.profile)
    else:
        measure(args.repeat)


if __name__ == "__main__":
    main()
