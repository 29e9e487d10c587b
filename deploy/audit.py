"""Lighthouse and the Nu HTML checker on the portal's main pages, in both languages.

    make audit                       # installs the tools (deploy/audit/package.json), then this
    python deploy/audit.py [--only home,job] [--form-factors desktop] [--out DIR]
    python deploy/audit.py --base-url http://127.0.0.1:8107   # a portal already running

Without ``--base-url`` the portal is served as in production: debugging off, static files
collected, compressed and hashed behind whitenoise, gunicorn, pages gzipped (deploy/audit/:
nginx's part), on demo data loaded into a database of its own (a SQLite file in the output
folder, or ``DATABASE_URL``; ``DEMO_EDITION_SCALE`` as for ``seed_demo``, 0 by default here).
Lighthouse (npm ``lighthouse``, Debian's Chromium headless, its desktop and mobile presets)
scores performance, accessibility, best practices and SEO; the Nu HTML checker (npm
``vnu-jar``, on the machine's Java) counts each page's errors. A table of both is printed, then
every Lighthouse audit that did not pass on some page; the reports stay in the output folder.
The exit status is 1 when a score is under ``--min-score`` (98) or a page has a Nu error.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "deploy" / "audit"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
VNU = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PYTHON = ROOT / ".venv" / "bin" / "python"
LANGUAGES = {"en": "", "zh": "/zh-hans"}
FORM_FACTORS = ("desktop", "mobile")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def production_environment(out: Path) -> dict[str, str]:
    """The environment of a production-like portal whose files all live under ``out``."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            # Plain HTTP on loopback: no TLS proxy stands in front.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(out / "static"),
            "DJANGO_MEDIA_ROOT": str(out / "media"),
            "DJANGO_PRIVATE_ROOT": str(out / "private"),
            "DJANGO_CACHE_DIR": str(out / "cache"),
            "DEMO_EDITION_SCALE": os.environ.get("DEMO_EDITION_SCALE", "0"),
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{out / 'audit.sqlite3'}",
        }
    )
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    return env


def page_paths(env: dict[str, str]) -> dict[str, str]:
    """The sixteen pages, named, found in the demo's current edition."""
    script = """
import json
from ciep.models import Edition
from exhibitions.models import Exhibitor, Hall
from forums.models import Session, Speaker
from projects.models import Project
from recruitment.models import JobPosting

edition = Edition.objects.get(is_current=True)
paths = {
    "home": "/",
    "editions": "/editions/",
    "edition": edition.get_absolute_url(),
    "report": f"/editions/{edition.number}/report/",
    "catalogue": "/exhibition/",
    "booth": Exhibitor.objects.filter(logo__gt="").order_by("pk").first().get_absolute_url(),
    "hall": Hall.objects.order_by("pk").first().get_absolute_url(),
    "jobs": "/jobs/",
    "job": JobPosting.objects.public().order_by("pk").first().get_absolute_url(),
    "projects": "/projects/",
    "project": Project.objects.published().order_by("pk").first().get_absolute_url(),
    "programme": "/forum/",
    "session": Session.objects.order_by("pk").first().get_absolute_url(),
    "speaker": Speaker.objects.order_by("pk").first().get_absolute_url(),
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
}
print(json.dumps(paths))
"""
    found = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict[str, str], out: Path) -> tuple[subprocess.Popen, str]:
    """Loads the demo, collects the static files and starts gunicorn; returns it and its URL."""

    def manage(*args):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)

    print("Preparing the portal (migrate, seed_demo, collectstatic) ...", flush=True)
    manage("compile_translations")
    manage("migrate", "--noinput", "-v0")
    subprocess.run(
        [PYTHON, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    manage("collectstatic", "--noinput", "-v0")
    port = free_port()
    server_env = {**env, "DJANGO_SETTINGS_MODULE": "audit_settings", "WEB_CONCURRENCY": "2"}
    server = subprocess.Popen(
        [
            ROOT / ".venv" / "bin" / "gunicorn",
            "--pythonpath",
            str(TOOLS),
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:application",
        ],
        cwd=ROOT,
        env=server_env,
        stdout=open(out / "gunicorn.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(120):
        try:
            with urllib.request.urlopen(url + "/health/", timeout=5):
                return server, url
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn stopped: see {out / 'gunicorn.log'}")
            time.sleep(0.5)
    sys.exit(f"The portal never answered on {url}: see {out / 'gunicorn.log'}")


def lighthouse(url: str, form_factor: str, report: Path) -> dict:
    """Lighthouse's report on ``url`` with the preset of ``form_factor``."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        "--max-wait-for-load=60000",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    result = {}
    # Chromium now and then loses the trace of a page load (NO_NAVSTART): try again.
    for _attempt in range(3):
        report.unlink(missing_ok=True)
        subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
        if report.exists():
            result = json.loads(report.read_text())
            if None not in scores(result).values():
                break
    return result


def scores(result: dict) -> dict[str, int | None]:
    categories = result.get("categories", {})
    return {
        name: (
            round(categories[name]["score"] * 100)
            if categories.get(name, {}).get("score") is not None
            else None
        )
        for name in CATEGORIES
    }


def failed_audits(result: dict) -> list[str]:
    """The audits that count towards a score and did not pass, with what they say."""
    weighted = {
        ref["id"]
        for category in result.get("categories", {}).values()
        for ref in category["auditRefs"]
        if ref.get("weight")
    }
    failed = []
    for audit_id in sorted(weighted):
        audit = result["audits"][audit_id]
        if audit.get("score") is not None and audit["score"] < 0.9:
            value = audit.get("displayValue") or ""
            failed.append(f"{audit_id} ({audit['score']:.2f}) {value}".rstrip())
    return failed


def nu_errors(urls: list[str], folder: Path) -> dict[str, list[str]]:
    """The Nu HTML checker's errors on each of ``urls``, fetched into ``folder`` first (the
    checker refuses to fetch from loopback addresses itself)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for number, url in enumerate(urls):
        request = urllib.request.Request(url, headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=60) as response:
            files[(folder / f"page-{number}.html").resolve().as_uri()] = url
            (folder / f"page-{number}.html").write_bytes(response.read())
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        check=False,
        capture_output=True,
        text=True,
    )
    errors: dict[str, list[str]] = {url: [] for url in urls}
    for message in json.loads(checked.stderr or '{"messages": []}')["messages"]:
        if message.get("type") in ("error", "non-document-error"):
            url = files.get(message.get("url", ""), message.get("url", ""))
            errors.setdefault(url, []).append(
                f"line {message.get('lastLine', '?')}: {message.get('message', '')}"
            )
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="audit a portal already running there")
    parser.add_argument("--only", help="comma-separated page names (home, job, ...)")
    parser.add_argument("--languages", default="en,zh")
    parser.add_argument("--form-factors", default=",".join(FORM_FACTORS))
    parser.add_argument("--out", help="folder for the reports (default: a new temporary one)")
    parser.add_argument("--min-score", type=int, default=98)
    parser.add_argument("--no-lighthouse", action="store_true", help="only the Nu checker")
    options = parser.parse_args()
    for tool in (LIGHTHOUSE, VNU):
        if not tool.exists():
            sys.exit(f"{tool} is missing: run `make audit` (npm ci in deploy/audit).")

    out = Path(options.out or tempfile.mkdtemp(prefix="ciep-audit-"))
    out.mkdir(parents=True, exist_ok=True)
    env = production_environment(out)
    server = None
    if options.base_url:
        base_url = options.base_url.rstrip("/")
        env = dict(os.environ)
    else:
        server, base_url = serve(env, out)
    try:
        paths = page_paths(env)
        if options.only:
            paths = {name: paths[name] for name in options.only.split(",")}
        languages = options.languages.split(",")
        pages = [
            (name, language, base_url + LANGUAGES[language] + path)
            for name, path in paths.items()
            for language in languages
        ]
        errors = nu_errors([url for _name, _language, url in pages], out / "html")
        rows, problems = [], []
        for name, language, url in pages:
            for form_factor in options.form_factors.split(","):
                if options.no_lighthouse:
                    result = {}
                else:
                    report = out / f"{name}-{language}-{form_factor}.json"
                    result = lighthouse(url, form_factor, report)
                rows.append((name, language, form_factor, scores(result), len(errors[url])))
                if result:
                    print(f"{name:10} {language} {form_factor:7} {scores(result)}", flush=True)
                for failed in failed_audits(result):
                    problems.append(f"{name} {language} {form_factor}: {failed}")
        for url, messages in errors.items():
            problems += [f"Nu {url.removeprefix(base_url)}: {message}" for message in messages]
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    print()
    header = ("page", "lang", "form", "perf", "a11y", "best", "seo", "Nu errors")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---"] * 3 + ["---:"] * 5) + "|")
    below = 0
    for name, language, form_factor, score, nu in rows:
        shown = [("–" if score[c] is None else str(score[c])) for c in CATEGORIES]
        below += sum(1 for c in CATEGORIES if score[c] is not None and score[c] < options.min_score)
        print(f"| {name} | {language} | {form_factor} | " + " | ".join(shown) + f" | {nu} |")
    if problems:
        print("\nWhat did not pass:")
        print("\n".join(f"- {problem}" for problem in problems))
    print(f"\nReports in {out}")
    return 1 if below or any(errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
