"""Whatever is typed into an address or a form, the portal answers below 500 and saves no half.

Hostile strings (in the style of the Big List of Naughty Strings) go through every query
parameter of every page, and through every field of every form that a kind of person is shown.
Both lists are found, not written down: the parameters are the filter sets' fields, the names
in the pages' own GET forms and the known ones below; the forms are the POST forms found on the
pages that each role opens (tests.world builds the people and their objects). A new filter, a
new form or a new field joins by itself, and the test fails while a field of a form class of
the portal is found on no page.

Every string reaches every parameter and every field at least once, in a moderate time: all
the parameters go in every request; the whole list goes to one page that reads each parameter
and one form that has each field (by name), all its fields at once; the other pages and forms
get one or three strings of it, in turn. Each field is also sent alone in its form as the page
drew it, which reaches the services behind a form valid but for that field. Each request runs
in a savepoint rolled back afterwards; a refused POST (anything but a redirect after success)
must leave every table as it was.
"""

import importlib
import inspect
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import Resolver404, resolve, reverse

from tests import world
from tests.ciep.test_access_table import TABLE, takes_an_object, url_patterns

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "99999999999999999999999",
    "NaN",
    "⁰⁴⁵",
    "٣",
    "１２",
    "\u202e12",
    "1\u200b2",
    "\ufeff",
    "\x00",
    "\x01\x02\x1b[31m\x7f",
    "\ud800",
    "😀👩‍👩‍👧",
    "' OR 1=1--",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "%s%n%x%d",
    "../../etc/passwd",
    "//evil.example",
    "https://evil.example/",
    '{"a":1}',
    "2026-02-30",
    "a@b",
    "x" * 10_000,
    ["1", "⁰⁴⁵", "' OR 1=1--"],  # an array: the parameter repeated
]
# Parameters read outside a filter set or a page's GET form.
KNOWN_PARAMS = [
    "page",
    "q",
    "edition",
    "field",
    "organisation",
    "project",
    "next",
    "sort",
    "lang",
    "language",
    "format",
    "for",
    "code",
    "booth",
    "tz",
    "a",
    "b",
    "kind",
    "state",
    "status",
    "delegation",
    "session",
    "to",
    "action",
]
# Pages that read their address outside a GET form of theirs (a filter set's form is found).
READER_NAMES = [
    "ciep:edition_compare",
    "ciep:edition_check_in",
    "exhibitions:catalogue",
    "exhibitions:application_create",
    "exhibitions:set_timezone",
    "recruitment:job_list",
    "recruitment:profile_edit",
    "recruitment:posting_applicants",
    "recruitment:demand_list",
    "recruitment:demand_answers",
    "talents:talent_list",
    "projects:project_list",
    "projects:intention_create",
    "projects:agreement_list",
    "projects:ranking",
    "projects:recommendations",
    "forums:programme",
    "forums:check_in",
]
# The roles whose pages are walked: every kind of form is shown to one of them.
CRAWLERS = ("anonymous", "talent", "org_admin", "head", "organiser")
APPS = ("ciep", "exhibitions", "recruitment", "projects", "forums")


def _text(value) -> str:
    return value if isinstance(value, str) else value[0]


def _wire(value):
    """``value`` as it can travel: a lone surrogate has no UTF-8, so its bytes are sent as
    Python would write them (``surrogatepass``), which no decoder accepts as text."""
    if isinstance(value, list):
        return [_wire(item) for item in value]
    try:
        value.encode()
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")
    return value


# --- What there is to send ------------------------------------------------------------------


def _modules(name):
    for label in APPS:
        try:
            yield importlib.import_module(f"{label}.{name}")
        except ModuleNotFoundError:
            continue


def filterset_params() -> set[str]:
    """The parameter names of every filter set of the portal (with the suffixes of widgets
    that send several values)."""
    names = set()
    for module in _modules("filters"):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, django_filters.FilterSet) or cls.__module__ != module.__name__:
                continue
            for name, declared in cls.base_filters.items():
                widget = declared.extra.get("widget") or declared.field_class.widget
                suffixes = getattr(widget, "suffixes", None)
                names.update(f"{name}_{suffix}" for suffix in suffixes) if suffixes else None
                names.add(name)
    return names


def form_class_fields() -> dict[str, set[str]]:
    """Every field of every form class of the portal's areas, by class."""
    found = {}
    for module in _modules("forms"):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found[f"{module.__name__}.{cls.__name__}"] = set(cls.base_fields)
    return found


class FormParser(HTMLParser):
    """The forms of a page: method, action and what a browser would send unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None
        self.get_names = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
                "files": set(),
            }
            self.forms.append(self._form)
        if self._form is None or "name" not in attrs and tag != "option":
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            name = attrs["name"]
            if kind == "file":
                self._form["files"].add(name)
                fields.setdefault(name, "")
            elif kind in ("checkbox", "radio"):
                fields.setdefault(name, None)
                if "checked" in attrs:
                    fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "image", "reset"):
                fields[name] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs["name"]
            fields[self._select] = None
        elif tag == "option" and self._select:
            if fields[self._select] is None or "selected" in attrs:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            if self._form["method"] == "get":
                self.get_names.update(self._form["fields"])
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data


# --- The walk -------------------------------------------------------------------------------


def plain_pages(role) -> list[str]:
    """Every page of the portal that takes no object, but the back office and the system's.

    The pages of one's account are the same for every signed-in role: walked as the talent.
    """
    paths = []
    for name, pattern in url_patterns():
        if takes_an_object(pattern) or not name or name.startswith("admin:"):
            continue
        if name in ("metrics", "ciep:health", "ciep:ready", "set_language"):
            continue
        account = name.startswith(("account_", "mfa_"))
        if account and role not in ("anonymous", "talent"):
            continue
        paths.append(reverse(name))
    return paths


def object_pages(w, role) -> list[str]:
    """The pages naming an object that ``role`` may open (from the access table)."""
    column = world.ROLES.index(role)
    return [
        reverse(name, kwargs=world.url_args(w, name))
        for name, (method, codes) in TABLE.items()
        if method == "GET" and codes.split()[column] == "200"
    ]


class Session:
    """One role's client; each request in a savepoint, from the cookies of its sign-in."""

    def __init__(self, w, role):
        self.role = role
        self.client = world.client_for(w, role, raise_request_exception=False)
        self.cookies = SimpleCookie(self.client.cookies)

    def request(self, method, path, data=None):
        self.client.cookies = SimpleCookie(self.cookies)
        cache.clear()  # no rate limit or message of an earlier request
        with transaction.atomic():
            before = table_counts() if method == "post" else None
            data = {name: _wire(value) for name, value in (data or {}).items()}
            response = getattr(self.client, method)(path, data)
            after = table_counts() if before and response.status_code not in (301, 302) else before
            transaction.set_rollback(True)
        return response, before != after


_COUNT_SQL = None


def table_counts():
    """The number of rows of every table of the portal and its accounts, in one query."""
    global _COUNT_SQL
    if _COUNT_SQL is None:
        tables = sorted(
            model._meta.db_table
            for model in apps.get_models()
            if model._meta.app_label in (*APPS, "account", "mfa", "auth")
            and not model._meta.proxy
            and model._meta.managed
        )
        quote = connection.ops.quote_name
        _COUNT_SQL = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL)
        return cursor.fetchone()


def _refused(response, changed, where):
    problems = []
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
    if changed:
        problems.append(f"{where}: answered {response.status_code} but changed the database")
    return problems


@pytest.fixture
def w(db):
    return world.build()


@pytest.fixture
def sessions(w):
    return {role: Session(w, role) for role in CRAWLERS}


@pytest.fixture
def pages(w, sessions):
    return crawl(w, sessions)


def crawl(w, sessions):
    """Every page each crawling role may open, with its forms."""
    found = {}
    for role, session in sessions.items():
        for path in [*plain_pages(role), *object_pages(w, role)]:
            response, _changed = session.request("get", path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser()
            parser.feed(response.content.decode())
            found[(role, path)] = parser
    return found


def query_parameter_problems(w, sessions, pages) -> list[str]:
    names = set(KNOWN_PARAMS) | filterset_params()
    for parser in pages.values():
        names |= parser.get_names
    names.discard("csrfmiddlewaretoken")
    problems = []
    # All the parameters go in every request. The whole list goes to one page that reads each
    # parameter (its GET form shows it, or it is known to read it), for the first role that
    # opens it; every other page gets one string of the list, in turn.
    readers = {reverse(name, kwargs=world.url_args(w, name)) for name in READER_NAMES}
    covered, full = set(), set()
    for (_role, path), parser in pages.items():
        used = parser.get_names | (set(KNOWN_PARAMS) if path in readers else set())
        if used - covered:
            covered |= used
            full.add(path)
    seen = set()
    for number, (role, path) in enumerate(pages):
        strings = HOSTILE if path in full - seen else [HOSTILE[number % len(HOSTILE)]]
        seen.add(path)
        for value in strings:
            response, changed = sessions[role].request("get", path, dict.fromkeys(names, value))
            problems += _refused(response, changed, f"GET {path} as {role} with {value!r:.40}")
    assert {"q", "field", "page", "edition", "salary", "day"} <= names
    return problems


def post_forms(w, pages):
    """The POST forms found on the pages, and those of ``unshown_forms``: (role, action path,
    baseline data, file fields), once for each action and set of fields."""
    found, keys = [], set()
    for role, action, form_class in unshown_forms(w):
        found.append((role, action, dict.fromkeys(form_class.base_fields, ""), set()))
    for (role, path), parser in pages.items():
        for form in parser.forms:
            if form["method"] != "post":
                continue
            action = urlsplit(form["action"] or path).path
            try:
                resolve(action)
            except Resolver404:
                continue
            fields = {name: value for name, value in form["fields"].items()}
            fields.pop("csrfmiddlewaretoken", None)
            key = (action, tuple(sorted(fields)))
            if key in keys:
                continue
            keys.add(key)
            found.append((role, action, fields, form["files"]))
    return found


def _baseline(fields):
    return {name: value for name, value in fields.items() if value is not None}


def form_problems(w, sessions, pages) -> list[str]:
    forms_found = post_forms(w, pages)
    problems, covered = [], set()
    for number, (role, action, fields, _files) in enumerate(forms_found):
        session = sessions[role]
        # Every field at once with each string, on the first form with a field (by its name)
        # that no form before had, and with three strings on the others...
        names = {name.rsplit("-", 1)[-1] for name in fields}
        new = names - covered
        covered |= names
        strings = HOSTILE if new else HOSTILE[number % 13 :: 13]
        for value in strings:
            data = dict.fromkeys(fields, value)
            response, changed = session.request("post", action, data)
            problems += _refused(response, changed, f"POST {action} as {role} all {value!r:.40}")
        # ...then each new field alone in the form as the page drew it, which reaches the
        # services behind a form that is valid but for that field.
        for index, name in enumerate(sorted(fields)):
            if name.rsplit("-", 1)[-1] not in new:
                continue
            value = HOSTILE[(number + index) % len(HOSTILE)]
            data = {**_baseline(fields), name: value}
            response, changed = session.request("post", action, data)
            problems += _refused(response, changed, f"POST {action} as {role} {name}={value!r:.40}")
    return problems


def fields_not_found(w, pages) -> dict[str, list[str]]:
    posted, shown = set(), set()
    for _role, _action, fields, _files in post_forms(w, pages):
        posted |= {name.rsplit("-", 1)[-1] for name in fields}
    for parser in pages.values():
        shown |= {name.rsplit("-", 1)[-1] for name in parser.get_names}
    missing = {cls: sorted(names - posted - shown) for cls, names in form_class_fields().items()}
    return {cls: names for cls, names in missing.items() if names}


def test_hostile_input_never_answers_500_nor_saves_a_half(w, sessions, pages):
    # Pages are walked once (the walk is most of the time), and used for all three checks.
    actions = {action for _role, action, _fields, _files in post_forms(w, pages)}
    assert {
        reverse(name)
        for name in (
            "account_signup",
            "account_login",
            "exhibitions:application_create",
            "exhibitions:set_timezone",
            "recruitment:profile_edit",
            "projects:project_create",
        )
    } <= actions
    assert len(actions) > 50
    assert fields_not_found(w, pages) == {}
    assert query_parameter_problems(w, sessions, pages) == []
    assert form_problems(w, sessions, pages) == []


# Forms the world's pages do not show in its present state, posted where they would be: the
# role, the address and the form class, whose fields are sent (a new field joins by itself).
def unshown_forms(w):
    from exhibitions.forms import OutcomeForm
    from forums.forms import FeedbackForm
    from projects.forms import ProgressReportForm
    from recruitment.forms import SavedSearchForm

    return [
        # A search is saved from a filtered job list.
        ("talent", reverse("recruitment:search_save"), SavedSearchForm),
        # Feedback is asked once the session is over.
        ("talent", reverse("forums:session_feedback", args=[w.session.pk]), FeedbackForm),
        # Progress is reported once the agreement is being implemented.
        ("head", reverse("projects:intention_report", args=[w.intention.pk]), ProgressReportForm),
        # A meeting's outcome is recorded by the exhibitor once its slot has begun.
        (
            "org_admin",
            reverse("exhibitions:meeting_action", args=[w.meeting.pk, "outcome"]),
            OutcomeForm,
        ),
    ]


def test_a_hostile_string_reaches_the_form(w, sessions):
    """The walk posts where the forms are: a hostile profile name is refused on the page."""
    session = sessions["talent"]
    response, changed = session.request("post", reverse("ciep:profile_edit"), {"name": "\x00"})
    assert (response.status_code, changed) == (200, False)
    assert "Null characters are not allowed." in response.content.decode()


def test_strings_are_all_there():
    assert [_text(value) for value in HOSTILE if not isinstance(value, str)] == ["1"]
    assert len(HOSTILE[-2]) == 10_000
