"""Who may open every address that names an object, for every kind of person.

The table lists every URL pattern of the portal that takes an object's id, slug or token (the
back office aside), with the exact answer for each role of ``tests.world.ROLES``: ``200``,
``login`` (a redirect to the sign-in page), ``302`` (another redirect: the action was done, or
the person is sent elsewhere), ``403``, ``404`` (what one may not see does not exist). A pattern
missing from the table fails the first test: a new address must say who may open it.

Each request runs in a savepoint that is rolled back, so every cell sees the same world. What
a refused person gets holds none of the other people's names or e-mail addresses.
"""

from http.cookies import SimpleCookie

import pytest
from django.core.cache import caches
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils.http import urlencode
from django.views.static import serve

from tests import world
from tests.conftest import give_authenticator

pytestmark = pytest.mark.django_db

ROLES = world.ROLES
# anonymous talent other_talent exhibitor org_admin other_exhibitor other_member head other_head
# organiser staff_no_2fa (staff whose session skipped the second factor: no organiser's tools)
TABLE = {
    "private_file": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "account_confirm_email": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "account_reset_password_from_key": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    # The conference core
    "ciep:edition_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "ciep:edition_report": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "ciep:edition_report_json": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "ciep:edition_report_csv": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "ciep:edition_guest": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "ciep:edition_attend": ("GET", "login 200 200 200 200 200 200 200 200 200 200"),
    "ciep:attendance_cancel": ("POST", "login 404 404 404 404 404 404 404 404 404 404"),
    "ciep:edition_check_in": ("GET", "login 404 404 404 404 404 404 404 404 200 404"),
    "ciep:organisation_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "ciep:organisation_edit": ("GET", "login 404 404 404 200 404 404 404 404 404 404"),
    "ciep:organisation_members": ("GET", "login 404 404 404 200 404 404 404 404 404 404"),
    "ciep:membership_remove": ("POST", "login 404 404 404 302 404 404 404 404 404 404"),
    "ciep:invitation_accept": ("GET", "login 404 200 404 404 404 404 404 404 404 404"),
    "ciep:delegation_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "ciep:delegation_manage": ("GET", "login 404 404 404 404 404 404 200 404 200 404"),
    "ciep:delegation_member_remove": ("POST", "login 404 404 404 404 404 404 302 404 302 404"),
    "ciep:delegation_document_delete": ("POST", "login 404 404 404 404 404 404 302 404 302 404"),
    # The exhibition hall
    "exhibitions:catalogue_edition": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "exhibitions:hall_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "exhibitions:exhibitor_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "exhibitions:exhibitor_edit": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "exhibitions:exhibitor_manage": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "exhibitions:exhibitor_content_add": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "exhibitions:exhibitor_content_delete": (
        "POST",
        "login 404 404 302 302 404 404 404 404 404 404",
    ),
    "exhibitions:slot_manage": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "exhibitions:slot_withdraw": ("POST", "login 404 404 302 302 404 404 404 404 404 404"),
    "exhibitions:meeting_request": ("GET", "login 200 200 200 200 200 200 200 200 200 200"),
    "exhibitions:exhibitor_figures": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "exhibitions:exhibitor_meetings_csv": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "exhibitions:pavilion_application_create": (
        "GET",
        "login 404 404 404 404 404 404 200 404 404 404",
    ),
    "exhibitions:application_detail": ("GET", "login 404 404 404 200 404 404 404 404 404 404"),
    "exhibitions:application_withdraw": ("POST", "login 404 404 404 302 404 404 404 404 404 404"),
    "exhibitions:pavilion_manage": ("GET", "login 404 404 404 404 404 404 200 404 200 404"),
    "exhibitions:meeting_detail": ("GET", "login 200 404 200 200 404 404 404 404 404 404"),
    "exhibitions:meeting_ics": ("GET", "login 200 404 200 200 404 404 404 404 404 404"),
    "exhibitions:meeting_action": ("POST", "login 302 404 404 404 404 404 404 404 404 404"),
    # Recruitment
    "recruitment:job_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "recruitment:apply": ("GET", "login 200 200 302 302 302 302 302 302 302 302"),
    "recruitment:job_save": ("POST", "login 302 302 302 302 302 302 302 302 302 302"),
    "recruitment:job_report": ("POST", "login 302 302 302 302 302 302 302 302 302 302"),
    "recruitment:search_delete": ("POST", "login 302 404 404 404 404 404 404 404 404 404"),
    "recruitment:application_detail": ("GET", "login 200 404 404 404 404 404 404 404 404 404"),
    "recruitment:application_withdraw": ("POST", "login 302 404 404 404 404 404 404 404 404 404"),
    "recruitment:application_cv": ("GET", "login 200 404 200 200 404 404 404 404 404 404"),
    "recruitment:posting_create": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "recruitment:posting_edit": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "recruitment:posting_publish": ("POST", "login 404 404 302 302 404 404 404 404 404 404"),
    "recruitment:posting_close": ("POST", "login 404 404 302 302 404 404 404 404 404 404"),
    "recruitment:posting_extend": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "recruitment:posting_applicants": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "recruitment:applicant_detail": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "recruitment:posting_matches": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "recruitment:demand_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "recruitment:demand_create": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "recruitment:demand_edit": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "recruitment:demand_close": ("POST", "login 404 404 404 404 404 404 302 404 404 404"),
    "recruitment:demand_answers": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "recruitment:demand_import": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "recruitment:demand_import_template": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "recruitment:demand_import_preview": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "talents:talent_detail": ("GET", "login 200 404 200 200 200 200 404 404 404 404"),
    "talents:talent_cv": ("GET", "login 200 404 200 200 200 200 404 404 404 404"),
    "talents:talent_photo": ("GET", "login 200 404 200 200 200 200 404 404 404 404"),
    # Projects
    "projects:project_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "projects:project_edit": ("GET", "login 404 404 200 200 404 404 404 404 404 404"),
    "projects:project_document_remove": ("POST", "login 404 404 302 302 404 404 404 404 404 404"),
    "projects:project_action": ("POST", "login 404 404 302 302 404 404 404 404 302 404"),
    "projects:intention_detail": ("GET", "login 404 404 200 200 404 404 200 404 200 404"),
    "projects:intention_sign": ("GET", "login 404 404 200 200 404 404 200 404 200 404"),
    "projects:intention_agreement": ("GET", "login 404 404 200 200 404 404 200 404 200 404"),
    "projects:intention_publication": ("POST", "login 404 404 302 302 404 404 302 404 404 404"),
    "projects:intention_report": ("POST", "login 404 404 302 302 404 404 302 404 302 404"),
    "projects:intention_transition": ("POST", "login 404 404 302 302 404 404 302 404 302 404"),
    "projects:delegation_intentions": ("GET", "login 404 404 404 404 404 404 200 404 200 404"),
    "projects:delegation_intentions_csv": (
        "GET",
        "login 404 404 404 404 404 404 200 404 200 404",
    ),
    "projects:demand_import": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "projects:demand_import_template": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "projects:demand_import_preview": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "projects:competition_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    # The forum
    "forums:edition_programme": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "forums:programme_ics": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "forums:sub_venue_event_propose": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "forums:sub_venue_event_edit": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "forums:session_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "forums:session_ics": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "forums:session_watch": ("GET", "302 302 302 302 302 302 302 302 302 302 302"),
    "forums:session_register": ("POST", "login 302 302 302 302 302 302 302 302 302 302"),
    "forums:session_bookmark": ("POST", "login 302 302 302 302 302 302 302 302 302 302"),
    "forums:session_feedback": ("POST", "login 302 404 404 404 404 404 404 404 404 404"),
    "forums:group_register": ("GET", "login 404 404 404 404 404 404 200 404 404 404"),
    "forums:registration_detail": ("GET", "login 200 404 404 404 404 404 404 404 404 404"),
    "forums:registration_cancel": ("POST", "login 302 404 404 404 404 404 404 404 404 404"),
    "forums:speaker_detail": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "forums:agenda_feed": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    # News: a draft, which only organisers preview
    "news:article_detail": ("GET", "404 404 404 404 404 404 404 404 404 200 404"),
    "committee:committee": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
    # The press centre: the talent is an accredited journalist
    "press:badge": ("GET", "login 200 404 404 404 404 404 404 404 404 404"),
    "press:press_card": ("GET", "login 200 404 404 404 404 404 404 404 200 404"),
    "press:press_kit_download": ("GET", "login 200 404 404 404 404 404 404 404 200 404"),
    # The person's own records, the language link and the sitemap
    "ciep:consent_withdraw": ("POST", "login 302 404 404 404 404 404 404 404 404 404"),
    "ciep:token_revoke": ("POST", "login 302 404 404 404 404 404 404 404 404 404"),
    "ciep:organisation_webhooks": ("GET", "login 404 404 404 200 404 404 404 404 404 404"),
    "ciep:webhook_delete": ("POST", "login 404 404 404 302 404 404 404 404 404 404"),
    "language_switch": ("GET", "302 302 302 302 302 302 302 302 302 302 302"),
    "sitemap_section": ("GET", "200 200 200 200 200 200 200 200 200 200 200"),
}


def url_patterns(resolver=None, namespace=""):
    """Every URL pattern as (``namespace:name``, pattern), through every include."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from url_patterns(pattern, inner)
        else:
            yield namespace + (pattern.name or ""), pattern


def takes_an_object(pattern) -> bool:
    return bool(getattr(pattern.pattern, "converters", None) or pattern.pattern.regex.groups)


def object_patterns() -> set[str]:
    return {
        name
        for name, pattern in url_patterns()
        if takes_an_object(pattern)
        and not name.startswith(("admin:", "api:"))  # the API's table: tests/ciep/test_api*
        and pattern.callback is not serve  # media files, served so only while debugging
    }


def test_every_address_that_names_an_object_is_in_the_table():
    assert sorted(object_patterns() - set(TABLE)) == []
    assert sorted(set(TABLE) - object_patterns()) == []
    assert all(len(codes.split()) == len(ROLES) for _method, codes in TABLE.values())


def _answer(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return "login"
    return str(response.status_code)


def _others_personal_data(w, role: str) -> list[str]:
    """The names and e-mail addresses of everyone but ``role``."""
    others = [user for name, user in w.users.items() if name != role]
    return [user.email for user in others] + [user.name for user in others]


def test_every_role_gets_the_expected_answer_for_every_address():
    w = world.build()
    clients = {role: world.client_for(w, role, raise_request_exception=False) for role in ROLES}
    signed_in = {role: SimpleCookie(clients[role].cookies) for role in ROLES}
    wrong, leaks = [], []
    for name, (method, codes) in TABLE.items():
        url = reverse(name, kwargs=world.url_args(w, name))
        for role, expected in zip(ROLES, codes.split(), strict=True):
            client = clients[role]
            # As just signed in: no message of an earlier cell (sessions live in the cache too).
            client.cookies = SimpleCookie(signed_in[role])
            for alias in caches:
                caches[alias].clear()
            with transaction.atomic():
                response = client.get(url) if method == "GET" else client.post(url)
                transaction.set_rollback(True)
            answer = _answer(response)
            if answer != expected:
                wrong.append(f"{name} as {role}: {answer}, expected {expected}")
            if answer in ("login", "403", "404") and not response.streaming:
                content = response.content.decode(errors="replace")
                found = [data for data in _others_personal_data(w, role) if data in content]
                if found:
                    leaks.append(f"{name} as {role} ({answer}) shows {found}")
    assert wrong == []
    assert leaks == []


def test_the_refused_pages_would_show_personal_data_if_it_leaked():
    """The leak check looks where personal data would be: the talent's own page shows it."""
    w = world.build()
    client = world.client_for(w, "talent")
    page = client.get(reverse("recruitment:application_detail", args=[w.job_application.pk]))
    assert w.users["talent"].name in page.content.decode()
    assert w.users["talent"].name in _others_personal_data(w, "other_talent")


ADMIN_PATHS = [
    "/admin/",
    "/admin/ciep/organisation/",
    "/zh-hans/admin/ciep/user/",
    "/admin/ciep/user/{pk}/change/",
    "/admin/recruitment/talentprofile/{profile}/change/",
]


@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_staff_without_a_second_factor_reach_no_back_office_page(path):
    w = world.build()
    path = path.format(pk=w.users["talent"].pk, profile=w.profile.pk)
    client = world.client_for(w, "staff_no_2fa")
    response = client.get(path)
    # Without an authenticator: sent to set one up.
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))
    assert w.users["talent"].email not in response.content.decode()
    # With one, but signed in with a password only: asked for a code.
    give_authenticator(w.users["staff_no_2fa"])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': path})}"
    assert w.users["talent"].email not in response.content.decode()
    organiser = world.client_for(w, "organiser")
    assert organiser.get(path).status_code == 200
