"""Traffic that looks like a fair day, for ``bench/run.py``: visitors reading every page at
random while people sign in and write through the site.

- Readers: wrk with ``mixed.lua``, 16 connections, each request an address picked at random
  from every booth, job, project and session page, the catalogue and the job list under a
  sample of filters, in English and in Chinese.
- A writer beside them, at 0, 1 or 5 actions a second, doing what people do through real
  forms (a GET of the page for its CSRF token, then the POST): register for a session, save a
  job, apply to a job. Either each action is done by someone who signs in first (the login
  form, its password hash and all), or by people signed in before the phase.
- Before the timed phases every address is visited once (``BENCH_WARM_UP=0`` skips it); the
  phases are interleaved and repeated, each round with the ceiling (``/health/``) measured
  again.
"""

import json
import os
import random
import re
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import requests
from edition import server_cpu_seconds

LUA = Path(__file__).resolve().parent / "mixed.lua"
PASSWORD = "bench-writer-pass-2027"
WRITERS = 20
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# (label, actions a second, whether each action signs in first)
PHASES = [
    ("read-only", 0, False),
    ("1 write/s, signed in", 1, False),
    ("5 writes/s, signed in", 5, False),
    ("1 sign-in + write/s", 1, True),
    ("5 sign-ins + writes/s", 5, True),
]


def addresses(edition_number: str) -> list[str]:
    """Every page a visitor may read, in both languages."""
    from django.urls import reverse
    from django.utils import translation

    from ciep.models import Field
    from exhibitions.models import Exhibitor
    from forums.models import Session
    from projects.models import Project
    from recruitment.models import JobPosting

    rng = random.Random(27)
    fields = list(Field.objects.values_list("pk", flat=True))
    countries = list(
        Exhibitor.objects.filter(edition__number=edition_number)
        .values_list("organisation__country", flat=True)
        .distinct()
    )
    catalogue = reverse("exhibitions:catalogue_edition", args=[edition_number])
    jobs = reverse("recruitment:job_list")
    filters = [f"{catalogue}?country={country}" for country in rng.sample(countries, 10)]
    filters += [f"{catalogue}?field={field}" for field in rng.sample(fields, min(5, len(fields)))]
    filters += [f"{catalogue}?page={page}" for page in range(1, 6)]
    filters += [f"{jobs}?type={kind}" for kind in JobPosting.Type.values]
    filters += [f"{jobs}?field={field}" for field in rng.sample(fields, min(5, len(fields)))]
    filters += [f"{jobs}?q={word}" for word in ("engineer", "research", "data", "professor")]
    filters += [f"{jobs}?type=full_time&remote=true", f"{jobs}?q=engineer&type=full_time"]
    filters += [f"{jobs}?page={page}" for page in range(1, 6)]
    paths = [catalogue, jobs, *filters]
    with translation.override("en"):
        for pk in Exhibitor.objects.filter(edition__number=edition_number).values_list(
            "pk", flat=True
        ):
            paths.append(reverse("exhibitions:exhibitor_detail", args=[pk]))
        for pk in JobPosting.objects.public().values_list("pk", flat=True):
            paths.append(reverse("recruitment:job_detail", args=[pk]))
        for pk in Project.objects.published().values_list("pk", flat=True):
            paths.append(reverse("projects:project_detail", args=[pk]))
        for pk in Session.objects.filter(edition__number=edition_number).values_list(
            "pk", flat=True
        ):
            paths.append(reverse("forums:session_detail", args=[pk]))
    return paths + ["/zh-hans" + path for path in paths]


def prepare_writers(edition_number: str) -> dict:
    """People who can sign in with a password (verified e-mail, a talent profile to apply
    with), and what they write to: open sessions and public jobs."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from ciep.models import User
    from forums.models import Session
    from recruitment.models import JobPosting, TalentProfile

    hashed = make_password(PASSWORD)  # one hash (its real cost) for all of them
    emails = []
    for number in range(WRITERS):
        email = f"bench-writer-{number}@ciep.example"
        user, _created = User.objects.get_or_create(email=email, defaults={"name": email})
        user.password = hashed
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        TalentProfile.objects.get_or_create(user=user, defaults={"headline": "Engineer"})
        emails.append(email)
    return {
        "emails": emails,
        "sessions": list(
            Session.objects.filter(edition__number=edition_number).values_list("pk", flat=True)
        ),
        "jobs": list(JobPosting.objects.public().values_list("pk", flat=True)),
    }


class Browser:
    """One person's cookies, sent by hand: the portal's cookies are marked Secure (it is served
    over HTTPS), which a client would not send back over the benchmark's plain HTTP. Each
    person has an address of their own, which the server learns as behind its proxy
    (X-Forwarded-For, with ``DJANGO_TRUSTED_PROXIES=1``): the login rate limits count per
    address, and a fair's visitors do not all share one."""

    def __init__(self, base: str, address: str):
        self.base = base
        self.address = address
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()

    def _send(self, method, path, data=None):
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "X-Forwarded-For": self.address,
        }
        response = self.http.request(
            method, self.base + path, data=data, headers=headers, allow_redirects=False
        )
        self.cookies.update(response.cookies.get_dict())
        self.http.cookies.clear()
        return response

    def form_post(self, page, action, data):
        """GET ``page`` for its CSRF token, then POST ``data`` to ``action``."""
        found = TOKEN.search(self._send("GET", page).text)
        if not found:
            raise RuntimeError(f"no form on {page}")
        return self._send("POST", action, {**data, "csrfmiddlewaretoken": found.group(1)})

    def sign_in(self, email):
        response = self.form_post(
            "/accounts/login/", "/accounts/login/", {"login": email, "password": PASSWORD}
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in answered {response.status_code}")


def address_of(number: int) -> str:
    """A made-up client address for person ``number`` (a documentation range: never reached,
    only written in a header)."""
    return f"203.0.113.{number % 250 + 1}"


def signed_in_people(base, targets):
    people = []
    for number, email in enumerate(targets["emails"]):
        browser = Browser(base, address_of(number))
        browser.sign_in(email)
        people.append(browser)
    return people


class Writer:
    """Does ``rate`` actions a second until stopped; counts them and their answers."""

    def __init__(self, base, targets, rate, sign_in_each_time, people):
        self.base, self.targets, self.rate = base, targets, rate
        self.sign_in_each_time = sign_in_each_time
        self.people = people
        self.rng = random.Random()
        self.done, self.failed, self.seconds = 0, 0, []
        self.requests = 0  # what the actions asked of the server, answered or not
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def action(self):
        started = time.monotonic()
        try:
            if self.sign_in_each_time:
                number = self.rng.randrange(len(self.targets["emails"]))
                browser = Browser(self.base, address_of(number))
                browser.sign_in(self.targets["emails"][number])
            else:
                browser = self.rng.choice(self.people)
            kind = self.rng.choice(("register", "save", "apply"))
            if kind == "register":
                pk = self.rng.choice(self.targets["sessions"])
                page = f"/forum/sessions/{pk}/"
                response = browser.form_post(
                    page, f"{page}register/", {"attendance": self.rng.choice(["online", "on_site"])}
                )
            elif kind == "save":
                pk = self.rng.choice(self.targets["jobs"])
                response = browser.form_post(f"/jobs/{pk}/", f"/jobs/{pk}/save/", {})
            else:
                pk = self.rng.choice(self.targets["jobs"])
                page = f"/jobs/{pk}/apply/"
                response = browser.form_post(
                    page, page, {"cover_letter": "I would like to join your team."}
                )
            ok = response.status_code in (200, 302)
        except (requests.RequestException, RuntimeError):
            ok = False
        with self.lock:
            self.requests += 4 if self.sign_in_each_time else 2
            self.done += ok
            self.failed += not ok
            self.seconds.append(time.monotonic() - started)

    def run(self):
        if not self.rate:
            return
        pool = ThreadPoolExecutor(max_workers=8)
        tick = time.monotonic()
        while not self.stop.is_set():
            pool.submit(self.action)
            tick += 1 / self.rate
            self.stop.wait(max(0.0, tick - time.monotonic()))
        # Actions still waiting for a thread when the phase ends are not done (an overloaded
        # server shows as fewer writes done); those under way finish.
        pool.shutdown(wait=True, cancel_futures=True)


def warm_up(base, paths, threads=8):
    """Visit every address once, as the day's first visitors would."""

    def visit(path):
        try:
            urlopen(base + path, timeout=60).read()
            return 200
        except HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=threads) as pool:
        answers = list(pool.map(visit, paths))
    return sum(answer != 200 for answer in answers)


def wrk_mixed(port, address_file, duration, connections=16):
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}/",
        "--",
        str(address_file),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE).group(1))


def run(*, port, server_pid, edition_number, duration, rounds, ceiling_of, results_dir):
    """The mixed phases; ``ceiling_of()`` measures ``/health/`` (wrk's figures) each round,
    ``server_pid`` is the gunicorn master whose CPU time each phase counts."""
    base = f"http://127.0.0.1:{port}"
    paths = addresses(edition_number)
    address_file = results_dir / "addresses.txt"
    address_file.write_text("\n".join(paths) + "\n")
    targets = prepare_writers(edition_number)
    started = time.monotonic()
    warm_failures = warm_up(base, paths) if os.environ.get("BENCH_WARM_UP", "1") == "1" else 0
    warm_seconds = time.monotonic() - started
    print(f"Visited {len(paths)} addresses in {warm_seconds:.0f} s", flush=True)
    people = signed_in_people(base, targets)
    measured = []  # (round, label, figures, ceiling, writer)
    for round_number in range(1, rounds + 1):
        ceiling = ceiling_of()
        order = PHASES if round_number % 2 else list(reversed(PHASES))
        for label, rate, sign_in_each_time in order:
            writer = Writer(base, targets, rate, sign_in_each_time, people)
            thread = threading.Thread(target=writer.run)
            cpu = server_cpu_seconds(server_pid)
            thread.start()
            figures = wrk_mixed(port, address_file, duration)
            writer.stop.set()
            thread.join()
            figures["cpu"] = server_cpu_seconds(server_pid) - cpu
            figures["answered"] = figures["requests"] + writer.requests
            measured.append((round_number, label, figures, ceiling, writer))
            print(
                f"round {round_number}, {label}: {figures['rps']:.0f} req/s "
                f"({figures['rps'] / ceiling['rps']:.2f} of {ceiling['rps']:.0f}), "
                f"hits {_hit_ratio(figures):.0%}, writes {writer.done} / {writer.failed} failed",
                flush=True,
            )
    return report(paths, warm_failures, warm_seconds, measured, duration, rounds)


def report(paths, warm_failures, warm_seconds, measured, duration, rounds):
    lines = [
        f"Mixed traffic: {len(paths)} addresses (every booth, job, project and session page, "
        "catalogue and job filters, in English and Chinese), 16 connections at random; all "
        f"visited once first ({warm_seconds:.0f} s, {warm_failures} not 200); {rounds} rounds "
        f"of {duration} a phase, interleaved.",
        "",
        "| phase | req/s | ratio to ceiling | ratio to read-only | p50 ms | p95 ms | page-cache "
        "hits | non-2xx / wrk errors | writes done / failed | write median s "
        "| server CPU ms a request | read-only's CPU a request / this one's |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    by_label = {}
    for _round, label, figures, ceiling, writer in measured:
        by_label.setdefault(label, []).append((figures, ceiling, writer))
    read_only = statistics.mean(
        figures["rps"] / ceiling["rps"] for figures, ceiling, _writer in by_label["read-only"]
    )
    read_hits = statistics.mean(_hit_ratio(figures) for figures, _c, _w in by_label["read-only"])
    read_cpu = _cpu_per_request(by_label["read-only"])
    summary = {}
    for label, _rate, _sign_in in PHASES:
        runs = by_label[label]
        ratio = statistics.mean(figures["rps"] / ceiling["rps"] for figures, ceiling, _w in runs)
        hits = statistics.mean(_hit_ratio(figures) for figures, _c, _w in runs)
        seconds = [s for _f, _c, writer in runs for s in writer.seconds]
        summary[label] = (ratio, hits)
        lines.append(
            f"| {label} | {statistics.mean(f['rps'] for f, _c, _w in runs):.0f} | {ratio:.2f} "
            f"| {ratio / read_only:.2f} | {statistics.median(f['p50'] for f, _c, _w in runs):.1f} "
            f"| {statistics.median(f['p95'] for f, _c, _w in runs):.1f} | {hits:.0%} "
            f"| {sum(f['non2xx'] for f, _c, _w in runs)} "
            f"/ {sum(f['errors'] for f, _c, _w in runs)} "
            f"| {sum(w.done for _f, _c, w in runs)} / {sum(w.failed for _f, _c, w in runs)} "
            f"| {statistics.median(seconds) if seconds else 0:.2f} "
            f"| {_cpu_per_request(runs) * 1000:.2f} | {read_cpu / _cpu_per_request(runs):.2f} |"
        )
    ceiling_rps = statistics.mean(ceiling["rps"] for _f, ceiling, _w in by_label["read-only"])
    lines += [
        "",
        f"Ceiling (`/health/`, 16 connections): {ceiling_rps:.0f} req/s on average over the "
        f"rounds. Hit ratio under writes relative to read-only ({read_hits:.0%}): "
        + ", ".join(
            f"{label} {hits / read_hits:.2f}" if read_hits else f"{label} -"
            for label, (_ratio, hits) in summary.items()
            if label != "read-only"
        )
        + ".",
    ]
    return "\n".join(lines)


def _cpu_per_request(runs):
    """The app server's CPU seconds per request answered (readers' and writer's) over runs."""
    return sum(f["cpu"] for f, _c, _w in runs) / max(1, sum(f["answered"] for f, _c, _w in runs))


def _hit_ratio(figures):
    return figures["hits"] / figures["requests"] if figures["requests"] else 0.0
