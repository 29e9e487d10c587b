"""axe-core (the npm package, `npm ci`) finds no WCAG 2.2 A/AA violation on the main pages, in
both languages, signed out and signed in."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ciep.models import Edition
from ciep.synthetic.demo import DEMO_PASSWORD
from exhibitions.models import Exhibitor, Hall
from forums.models import Session, Speaker
from projects.models import Project
from recruitment.models import JobPosting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe tags them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: {type: "tag", values: arguments[0]},
  // WCAG 2.5.3, a link's name contains its visible text: axe holds the rule as experimental.
  rules: {"label-content-name-mismatch": {enabled: true}},
  resultTypes: ["violations"],
})
  .then(results => done(results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " | " + n.failureSummary)
  }))))
  .catch(error => done([{id: "axe-error", impact: "", help: String(error), nodes: []}]));
"""


def axe_violations(browser, path: str | None = None) -> list[str]:
    """axe's violations on ``path`` (or the page the browser shows), one readable line each."""
    if path is not None:
        browser.get(path)
    path = browser.path
    browser.find("h1")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make browser-deps does).")
    browser.driver.execute_script(AXE.read_text())
    browser.driver.set_script_timeout(60)
    found = browser.driver.execute_async_script(AXE_RUN, AXE_TAGS)
    return [
        f"{path}: {v['id']} ({v['impact']}) {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in found
    ]


def sign_in(browser, email):
    browser.get("/accounts/login/")
    browser.fill("#id_login", email)
    browser.fill("#id_password", DEMO_PASSWORD)
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("My CIEP", "main h1")


def main_pages() -> list[str]:
    edition = Edition.objects.get(is_current=True)
    booth = Exhibitor.objects.filter(logo__gt="").order_by("pk").first()
    hall = Hall.objects.order_by("pk").first()
    job = JobPosting.objects.public().order_by("pk").first()
    project = Project.objects.published().order_by("pk").first()
    session = Session.objects.order_by("pk").first()
    speaker = Speaker.objects.order_by("pk").first()
    return [
        "/",
        "/editions/",
        edition.get_absolute_url(),
        f"/editions/{edition.number}/report/",
        "/exhibition/",
        booth.get_absolute_url(),
        hall.get_absolute_url(),
        "/jobs/",
        job.get_absolute_url(),
        "/projects/",
        project.get_absolute_url(),
        "/forum/",
        session.get_absolute_url(),
        speaker.get_absolute_url(),
    ]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def _in_both_languages(paths):
    return paths + ["/zh-hans" + path for path in paths]


def test_main_pages_signed_out_have_no_axe_violation(browser, demo):
    paths = [*main_pages(), "/accounts/login/", "/accounts/signup/"]

    violations = [
        line for path in _in_both_languages(paths) for line in axe_violations(browser, path)
    ]

    assert violations == [], "\n".join(violations)


def test_main_pages_signed_in_have_no_axe_violation(browser, demo):
    sign_in(browser, "visitor@ciep.example")
    paths = [*main_pages(), "/me/", "/accounts/email/", "/accounts/password/change/"]

    violations = [
        line for path in _in_both_languages(paths) for line in axe_violations(browser, path)
    ]

    assert violations == [], "\n".join(violations)


def test_login_with_errors_has_no_axe_violation(browser, demo):
    violations = []
    for prefix in ("", "/zh-hans"):
        browser.get(f"{prefix}/accounts/login/")
        browser.fill("#id_login", "visitor@ciep.example")
        browser.fill("#id_password", "not the password")
        browser.submit("main form button[type=submit]")
        browser.find("#form-errors")
        violations += axe_violations(browser)

    assert violations == [], "\n".join(violations)
