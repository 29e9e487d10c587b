"""Screenshots of the portal's main public pages, at a desktop and a phone width, in both
languages, with Debian's headless Chromium.

    python deploy/screenshots.py http://127.0.0.1:8000 /tmp/shots

The portal at that address must show the same database as this checkout's settings (the
pages of one booth, job, session and speaker are found in it). Each page is taken whole
(the window grown to the page's height, up to 4,000 px), as ``<page>-<width>-<language>.png``.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

WIDTHS = (1280, 390)
LANGUAGES = {"en": "", "zh": "/zh-hans"}


def page_paths() -> dict[str, str]:
    """The address of each page to take, from the current edition of the database."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciep.settings")
    import django

    django.setup()
    from django.urls import reverse

    from ciep.selectors import current_edition
    from exhibitions.models import Exhibitor, Hall
    from forums.models import Session, Speaker
    from projects.models import Project
    from recruitment.models import JobPosting

    edition = current_edition()
    exhibitor = Exhibitor.objects.filter(edition=edition).exclude(logo="").first()
    exhibitor = exhibitor or Exhibitor.objects.filter(edition=edition).first()
    hall = Hall.objects.filter(edition=edition).first()
    session = Session.objects.filter(edition=edition).order_by("start").first()
    speaker = Speaker.objects.filter(sessions__edition=edition).distinct().first()
    job = JobPosting.objects.public().order_by("-pk").first()
    paths = {
        "home": "/",
        "catalogue": reverse("exhibitions:catalogue"),
        "programme": reverse("forums:programme"),
        "grid": reverse("forums:programme") + "?view=grid",
        "jobs": reverse("recruitment:job_list"),
        "projects": reverse("projects:project_list"),
        "report": reverse("ciep:edition_report", args=[edition.number]),
    }
    for name, obj in (
        ("booth", exhibitor),
        ("hall", hall),
        ("session", session),
        ("speaker", speaker),
        ("job", job),
        ("project", Project.objects.published().order_by("-pk").first()),
    ):
        if obj is not None:
            paths[name] = obj.get_absolute_url()
    return paths


def main(base_url: str, out: str) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = page_paths()
    Path(out).mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="ciep-shots-")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(
        service=Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver"),
        options=options,
    )
    only = set(sys.argv[3:])
    try:
        for width in WIDTHS:
            for language, prefix in LANGUAGES.items():
                for name, path in paths.items():
                    if only and name not in only:
                        continue
                    driver.set_window_size(width, 900)
                    driver.get(base_url + prefix + path)
                    height = driver.execute_script("return document.documentElement.scrollHeight")
                    driver.set_window_size(width, min(height, 4000))
                    target = Path(out) / f"{name}-{width}-{language}.png"
                    driver.save_screenshot(str(target))
                    print(target, height)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2])
