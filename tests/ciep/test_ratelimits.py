"""Rate limits on posts that mail someone or create what another person sees."""

from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ciep import ratelimits
from ciep.models import Invitation, User
from exhibitions.models import Meeting
from forums.models import Registration
from projects.models import Intention, ProgressReport
from recruitment.models import Application, DemandAnswer
from tests.exhibitions.factories import SlotFactory, exhibitor_with_staff
from tests.factories import (
    PASSWORD,
    DelegationFactory,
    DelegationMemberFactory,
    MembershipFactory,
    UserFactory,
)
from tests.forums.factories import SessionFactory
from tests.projects.factories import IntentionFactory, ProjectFactory
from tests.recruitment.factories import (
    JobPostingFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

pytestmark = pytest.mark.django_db

TOO_MANY = "<h1>Too many requests</h1>"
TOO_MANY_ZH = "<h1>请求过于频繁</h1>"


def _meeting_urls(edition, count):
    exhibitor, _staff = exhibitor_with_staff(edition)
    return [
        reverse("exhibitions:meeting_request", args=[exhibitor.pk, slot.pk])
        for slot in SlotFactory.create_batch(count, exhibitor=exhibitor)
    ]


def _post_meetings(client, urls, prefix="", **extra):
    return [
        client.post(prefix + url, {"languages": "English", "message": "Lasers"}, **extra)
        for url in urls
    ]


def test_the_post_past_the_limit_is_answered_429_and_creates_nothing(client, settings, edition):
    settings.RATE_LIMITS = {"exhibitions:meeting_request": "2/h/user,100/h/ip"}
    urls = _meeting_urls(edition, 3)
    client.force_login(UserFactory())
    mail.outbox.clear()
    responses = _post_meetings(client, urls)
    assert [response.status_code for response in responses] == [302, 302, 429]
    assert TOO_MANY in responses[2].content.decode()
    assert 0 < int(responses[2]["Retry-After"]) <= 3600
    assert Meeting.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_limit_page_is_in_chinese_under_zh_hans(client, settings, edition):
    settings.RATE_LIMITS = {"exhibitions:meeting_request": "1/h/user"}
    urls = _meeting_urls(edition, 2)
    client.force_login(UserFactory())
    responses = _post_meetings(client, urls, prefix="/zh-hans")
    assert [response.status_code for response in responses] == [302, 429]
    page = responses[1].content.decode()
    assert TOO_MANY_ZH in page and '<html lang="zh-Hans"' in page


def test_another_account_at_another_address_is_not_affected(client, settings, edition):
    settings.RATE_LIMITS = {"exhibitions:meeting_request": "1/h/user,1/h/ip"}
    urls = _meeting_urls(edition, 3)
    client.force_login(UserFactory())
    first = _post_meetings(client, urls[:2], REMOTE_ADDR="203.0.113.1")
    assert [response.status_code for response in first] == [302, 429]
    client.force_login(UserFactory())
    other = _post_meetings(client, urls[2:], REMOTE_ADDR="203.0.113.2")
    assert [response.status_code for response in other] == [302]
    assert Meeting.objects.count() == 2


def test_the_address_limit_holds_for_every_account_behind_it(client, settings, edition):
    settings.RATE_LIMITS = {"exhibitions:meeting_request": "10/h/user,2/h/ip"}
    urls = _meeting_urls(edition, 3)
    statuses = []
    for url in urls:
        client.force_login(UserFactory())
        statuses += [r.status_code for r in _post_meetings(client, [url], REMOTE_ADDR="1.2.3.4")]
    assert statuses == [302, 302, 429]


def test_after_the_window_posting_works_again(client, settings, edition, monkeypatch):
    settings.RATE_LIMITS = {"exhibitions:meeting_request": "1/h/user"}
    urls = _meeting_urls(edition, 3)
    client.force_login(UserFactory())
    now = 1_800_000_000.0
    monkeypatch.setattr(ratelimits, "_now", lambda: now)
    assert [r.status_code for r in _post_meetings(client, urls[:2])] == [302, 429]
    now += 3600
    assert [r.status_code for r in _post_meetings(client, urls[1:2])] == [302]
    assert Meeting.objects.count() == 2


def test_gets_are_never_counted(client, settings, edition):
    settings.RATE_LIMITS = {"exhibitions:meeting_request": "1/h/user"}
    urls = _meeting_urls(edition, 1)
    client.force_login(UserFactory())
    assert [client.get(urls[0]).status_code for _ in range(3)] == [200] * 3
    assert [r.status_code for r in _post_meetings(client, urls)] == [302]


def test_with_the_cache_down_posting_still_works(client, settings, edition, caplog):
    settings.RATE_LIMITS = {"exhibitions:meeting_request": "1/h/user"}
    urls = _meeting_urls(edition, 3)
    client.force_login(UserFactory())
    with mock.patch.object(ratelimits.cache, "add", side_effect=ConnectionError("down")):
        responses = _post_meetings(client, urls)
    assert [response.status_code for response in responses] == [302, 302, 302]
    assert Meeting.objects.count() == 3
    assert "Rate limits not applied: the cache failed (down)" in caplog.text


def test_with_redis_answering_nothing_posting_still_works(client, settings, edition):
    # ciep/redis_cache.py answers as an empty cache while Redis is down: add succeeds, the key
    # is never there for incr.
    settings.RATE_LIMITS = {"exhibitions:meeting_request": "1/h/user"}
    urls = _meeting_urls(edition, 2)
    client.force_login(UserFactory())
    with (
        mock.patch.object(ratelimits.cache, "add", return_value=True),
        mock.patch.object(ratelimits.cache, "incr", side_effect=ValueError("Key not found.")),
    ):
        responses = _post_meetings(client, urls)
    assert [response.status_code for response in responses] == [302, 302]


def test_a_limit_can_be_removed(client, settings, edition):
    settings.RATE_LIMITS = {"exhibitions:meeting_request": None}
    assert "exhibitions:meeting_request" not in ratelimits.rate_limits()


def test_rates_are_read_like_allauths():
    assert ratelimits.parse("10/h/user, 30/10m/ip,5/90s/ip,1/d/user") == [
        ratelimits.Rate(10, 3600, "user"),
        ratelimits.Rate(30, 600, "ip"),
        ratelimits.Rate(5, 90, "ip"),
        ratelimits.Rate(1, 86400, "user"),
    ]
    with pytest.raises(ValueError, match="Unreadable rate limit '10/h/key'"):
        ratelimits.parse("10/h/key")


def _view_names(resolver=None, namespace=""):
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _view_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_default_limit_names_a_page_and_reads():
    assert set(ratelimits.default_rate_limits()) <= _view_names()
    assert all(ratelimits.rate_limits().values())


# --- Each covered post ----------------------------------------------------------------------


@dataclass
class Case:
    name: str
    user: object  # None: posted anonymously, limited by address
    posts: list  # (url, data) pairs, each of which would create or mail something
    rows: Callable[[], int]


def meeting_case(edition):
    return Case(
        "exhibitions:meeting_request",
        UserFactory(),
        [(url, {"languages": "English"}) for url in _meeting_urls(edition, 2)],
        lambda: Meeting.objects.count(),
    )


def intention_case(edition):
    delegation = DelegationFactory(edition=edition)
    projects = [
        ProjectFactory(edition=edition, organisation=MembershipFactory(role="admin").organisation)
        for _ in range(2)
    ]
    data = {
        "party": f"delegation:{delegation.pk}",
        "cooperation_type": "joint_rd",
        "description_en": "Joint laboratory",
    }
    return Case(
        "projects:intention_create",
        DelegationMemberFactory(delegation=delegation).user,
        [(reverse("projects:intention_create") + f"?project={p.pk}", data) for p in projects],
        lambda: Intention.objects.count(),
    )


def demand_answer_case(edition):
    demands = [TalentDemandFactory(delegation=DelegationFactory(edition=edition)) for _ in "ab"]
    return Case(
        "recruitment:demand_detail",
        TalentProfileFactory().user,
        [(demand.get_absolute_url(), {"message": "Count me in"}) for demand in demands],
        lambda: DemandAnswer.objects.count(),
    )


def progress_report_case(edition):
    delegation = DelegationFactory(edition=edition)
    intention = IntentionFactory(
        edition=edition, delegation=delegation, state="signed", signed_on=timezone.localdate()
    )
    url = reverse("projects:intention_report", args=[intention.pk])
    return Case(
        "projects:intention_report",
        DelegationMemberFactory(delegation=delegation).user,
        [(url, {"text": "Lab opened"}), (url, {"text": "First hires"})],
        lambda: ProgressReport.objects.count(),
    )


def job_application_case(edition):
    postings = [JobPostingFactory() for _ in "ab"]
    return Case(
        "recruitment:apply",
        TalentProfileFactory().user,
        [(reverse("recruitment:apply", args=[p.pk]), {"cover_letter": "Hi"}) for p in postings],
        lambda: Application.objects.count(),
    )


def invitation_case(edition):
    admin = MembershipFactory()
    url = reverse("ciep:organisation_members", args=[admin.organisation.pk])
    return Case(
        "ciep:organisation_members",
        admin.user,
        [(url, {"email": f"{name}@example.org", "role": "staff"}) for name in ("li", "wang")],
        lambda: Invitation.objects.count(),
    )


def forum_registration_case(edition):
    sessions = [SessionFactory(capacity=5) for _ in "ab"]
    return Case(
        "forums:session_register",
        UserFactory(),
        [
            (reverse("forums:session_register", args=[s.pk]), {"attendance": "on_site"})
            for s in sessions
        ],
        lambda: Registration.objects.count(),
    )


def signup_case(edition):
    def data(email):
        return {
            "email": email,
            "name": "Ana",
            "came_as": "visitor",
            "preferred_language": "en",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }

    url = reverse("account_signup")
    return Case(
        "account_signup",
        None,
        [(url, data("one@example.org")), (url, data("two@example.org"))],
        lambda: User.objects.count(),
    )


def password_reset_case(edition):
    people = [UserFactory(), UserFactory()]
    url = reverse("account_reset_password")
    return Case(
        "account_reset_password",
        None,
        [(url, {"email": person.email}) for person in people],
        lambda: 0,
    )


def email_change_case(edition):
    url = reverse("account_email")
    return Case(
        "account_email",
        UserFactory(),
        [(url, {"email": f"{n}@example.org", "action_add": ""}) for n in ("new", "newer")],
        lambda: 0,
    )


@pytest.mark.parametrize(
    "make_case",
    [
        meeting_case,
        intention_case,
        demand_answer_case,
        progress_report_case,
        job_application_case,
        invitation_case,
        forum_registration_case,
        signup_case,
        password_reset_case,
        email_change_case,
    ],
    ids=lambda make: make.__name__,
)
def test_each_covered_post_is_limited(client, settings, edition, make_case):
    case = make_case(edition)
    scope = "user" if case.user else "ip"
    settings.RATE_LIMITS = {case.name: f"1/h/{scope}"}
    if case.user:
        client.force_login(case.user)
    mail.outbox.clear()
    (url, data), (next_url, next_data) = case.posts
    first = client.post(url, data)
    assert first.status_code == 302
    rows, mails = case.rows(), len(mail.outbox)
    assert mails >= 1 or case.rows() >= 1
    second = client.post(next_url, next_data)
    assert second.status_code == 429
    assert TOO_MANY in second.content.decode()
    assert (case.rows(), len(mail.outbox)) == (rows, mails)


def test_allauths_own_limit_answers_with_the_portals_page(client, settings, db):
    # allauth's limit on password resets (5 a minute per address) is kept beside the portal's.
    settings.RATE_LIMITS = {"account_reset_password": None}
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    url = "/zh-hans" + reverse("account_reset_password")
    client.post(url, {"email": UserFactory().email})
    response = client.post(url, {"email": UserFactory().email})
    assert response.status_code == 429
    assert TOO_MANY_ZH in response.content.decode()


def test_the_sign_in_lockout_answers_429_in_chinese(client, db):
    user = UserFactory()
    url = "/zh-hans" + reverse("account_login")
    for _ in range(5):
        client.post(url, {"login": user.email, "password": "wrong"})
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert TOO_MANY_ZH in response.content.decode()
