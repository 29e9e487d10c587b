"""An edition's guest-of-honour and observer countries: their pages (what each area adds),
the edition page's section linking them, the API's payload, the admin and the demo."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from ciep.caching import forget_versions
from ciep.models import Delegation, Edition, EditionGuest
from forums import services as forum_services
from forums.models import Session
from news.models import Article
from tests.conftest import sign_in_with_second_factor
from tests.exhibitions.factories import ExhibitorFactory
from tests.factories import (
    DelegationFactory,
    EditionFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.forums.factories import SessionFactory
from tests.news.factories import ArticleFactory


def _page(edition, country="gb", language=None):
    url = reverse("ciep:edition_guest", args=[edition.number, country])
    return f"/zh-hans{url}" if language == "zh-hans" else url


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def _links(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", html)
    ]


def _h3s(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<h3[^>]*>(.*?)</h3>", html)
    ]


@pytest.fixture
def edition(db):
    edition = EditionFactory(number=17, guest_of_honour="GB", observers=["RU"])
    EditionGuest.objects.filter(edition=edition, country="GB").update(
        intro_en="The United Kingdom brings its universities.", intro_zh=""
    )
    return edition


def _guest_rows(edition, many=1):
    """A delegation, exhibitors, events and news of the UK in ``edition``, and of others."""
    other_edition = EditionFactory(number=18, guest_of_honour="GB")
    DelegationFactory(edition=edition, kind="country", name_en="United Kingdom", country="GB")
    DelegationFactory(edition=edition, kind="province", name_en="Hebei Province", country="CN")
    DelegationFactory(edition=other_edition, kind="country", name_en="UK at 18", country="GB")
    for index in range(many):
        ExhibitorFactory(
            edition=edition,
            organisation=OrganisationFactory(name_en=f"British Lab {index}", country="GB"),
        )
        SessionFactory(
            edition=edition,
            title_en=f"UK innovation day {index}",
            title_zh=f"英国创新日{index}",
            guest_country="GB",
            start=timezone.now() + datetime.timedelta(days=10 + index),
        )
        ArticleFactory(
            edition=edition,
            title_en=f"The UK at the fair {index}",
            countries=["GB"],
            published_at=timezone.now() - datetime.timedelta(hours=index),
        )
    ExhibitorFactory(edition=edition, organisation=OrganisationFactory(country="CN"))
    ExhibitorFactory(
        edition=other_edition, organisation=OrganisationFactory(name_en="Later lab", country="GB")
    )
    SessionFactory(edition=edition, title_en="Russian exchange", guest_country="RU")
    SessionFactory(edition=edition, title_en="Shenzhen Forum")
    SessionFactory(edition=other_edition, title_en="UK at 18", guest_country="GB")
    ArticleFactory(edition=edition, title_en="Russia observes", countries=["RU"])
    ArticleFactory(edition=edition, title_en="Draft about the UK", countries=["GB"], state="draft")
    ArticleFactory(edition=other_edition, title_en="The UK at 18", countries=["GB"])


# --- The page -------------------------------------------------------------------------------


def test_guest_page_shows_the_countrys_delegations_exhibitors_events_and_news(client, edition):
    _guest_rows(edition, many=2)
    response = client.get(_page(edition))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<h1>.*United Kingdom</h1>", html)
    assert "Guest of honour of the 17th edition" in html
    assert "<p>The United Kingdom brings its universities.</p>" in html
    assert _links(_section(html, "guest-delegations-heading")) == ["United Kingdom"]
    assert _links(_section(html, "guest-exhibitors-heading")) == ["British Lab 0", "British Lab 1"]
    events = _section(html, "guest-events-heading")
    assert "Important events of the guest of honour" in events
    assert _links(events) == ["UK innovation day 0", "UK innovation day 1"]
    assert _h3s(_section(html, "guest-news-heading")) == [
        "The UK at the fair 0",
        "The UK at the fair 1",
    ]


def test_observer_page_names_its_role_and_lists_only_its_own(client, edition):
    _guest_rows(edition)
    html = client.get(_page(edition, "ru")).content.decode()
    assert "Observer at the 17th edition" in html
    assert "Events of the observer" in html
    assert _links(_section(html, "guest-events-heading")) == ["Russian exchange"]
    assert _h3s(_section(html, "guest-news-heading")) == ["Russia observes"]
    assert _links(_section(html, "guest-exhibitors-heading")) == []
    assert "No exhibitor from this country in this edition's exhibition hall yet." in html
    assert "No delegation of this country has registered for this edition yet." in html


def test_guest_page_in_chinese_names_the_country_and_marks_an_english_intro(client, edition):
    _guest_rows(edition)
    response = client.get(_page(edition, language="zh-hans"))
    html = response.content.decode()
    assert re.search(r"<h1>.*英国</h1>", html)
    assert "第17届大会主宾国" in html
    assert "主宾国重要活动" in html
    # The intro has no Chinese text: the English one is shown, marked as English.
    assert '<div class="guest-intro" lang="en"><p>The United Kingdom brings' in html
    # Titles written in both languages show in Chinese, without a language mark.
    assert _links(_section(html, "guest-events-heading")) == ["英国创新日0"]
    assert 'lang="en">英国创新日0' not in html


def test_guest_page_of_a_country_the_edition_did_not_invite_is_a_404(client, edition):
    EditionFactory(number=18, guest_of_honour="FR")
    assert client.get(_page(edition, "fr")).status_code == 404
    assert client.get(_page(edition, "cn")).status_code == 404
    assert client.get(_page(edition, "gbr")).status_code == 404
    assert client.get(reverse("ciep:edition_guest", args=[99, "gb"])).status_code == 404
    assert client.get(_page(edition, "GB")).status_code == 200


@pytest.mark.parametrize("many", [1, 6])
def test_guest_page_queries_do_not_grow_with_rows(client, edition, many):
    _guest_rows(edition, many=many)
    cache.clear()
    forget_versions()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_page(edition))
    assert response.status_code == 200
    assert len(_links(_section(response.content.decode(), "guest-exhibitors-heading"))) == many
    assert len(queries) == GUEST_PAGE_QUERIES


# The editions' numbers (for the page's cache key), the guest and its edition, its delegations,
# its exhibitors, its events, its news and their fields: a fixed number, whatever the rows.
GUEST_PAGE_QUERIES = 7


def test_edition_page_links_its_guest_of_honour_then_its_observers(client, edition):
    html = client.get(edition.get_absolute_url()).content.decode()
    section = _section(html, "guests-heading")
    assert "Guest of honour and observers" in section
    assert _links(section) == ["United Kingdom", "Russia"]
    assert 'href="/editions/17/guests/gb/"' in section
    assert 'src="/static/flags/gb.gif" alt=""' in section
    chinese = client.get("/zh-hans" + edition.get_absolute_url()).content.decode()
    assert _links(_section(chinese, "guests-heading")) == ["英国", "俄罗斯"]
    assert 'href="/zh-hans/editions/17/guests/ru/"' in chinese


def test_edition_without_guests_has_no_guest_section(client, db):
    edition = EditionFactory()
    assert (
        'aria-labelledby="guests-heading"'
        not in client.get(edition.get_absolute_url()).content.decode()
    )


# --- The model and its old fields ------------------------------------------------------------


def test_edition_guest_of_honour_and_observers_read_the_guest_rows(edition):
    assert edition.guest_of_honour.code == "GB"
    assert [country.code for country in edition.observers] == ["RU"]
    assert EditionFactory().guest_of_honour.code == ""


def test_an_edition_has_one_guest_of_honour_and_each_country_once(edition):
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionGuest.objects.create(edition=edition, country="FR", role="guest_of_honour")
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionGuest.objects.create(edition=edition, country="RU", role="observer")


# --- Cache ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_guest_page_is_refreshed_when_one_of_its_events_changes(client):
    edition = EditionFactory(number=17, guest_of_honour="GB")
    other = EditionFactory(number=18, guest_of_honour="GB")
    session = SessionFactory(edition=edition, title_en="UK innovation day", guest_country="GB")
    elsewhere = SessionFactory(edition=other, title_en="UK at 18", guest_country="GB")
    url = _page(edition)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    elsewhere.title_en = "UK at 18, renamed"
    elsewhere.save()  # another edition's event: this page stays cached
    assert client.get(url)["X-Page-Cache"] == "hit"

    session.title_en = "UK innovation and talent day"
    session.save()  # as the admin's change form does
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "UK innovation and talent day" in response.content.decode()

    forum_services.session_cancel(session=session, by=UserFactory(organiser=True))
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "<strong>Cancelled</strong>" in response.content.decode()

    SessionFactory(edition=edition, title_en="A new British event", guest_country="GB")
    assert "A new British event" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_guest_page_is_refreshed_when_the_organisers_edit_the_guest(client):
    edition = EditionFactory(number=17, guest_of_honour="GB")
    url = _page(edition)
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    guest = EditionGuest.objects.get(edition=edition)
    guest.intro_en = "Welcome, United Kingdom."
    guest.save()
    assert "Welcome, United Kingdom." in client.get(url).content.decode()
    guest.delete()
    assert client.get(url).status_code == 404


# --- API ------------------------------------------------------------------------------------


def test_api_edition_carries_its_guests(client, edition):
    data = client.get(f"/api/v1/editions/{edition.number}").json()
    assert data["guest_of_honour"] == "GB"
    assert data["observers"] == ["RU"]
    assert data["guests"] == [
        {
            "country": "GB",
            "role": "guest_of_honour",
            "intro": {"en": "The United Kingdom brings its universities.", "zh": ""},
            "order": 100,
        },
        {"country": "RU", "role": "observer", "intro": {"en": "", "zh": ""}, "order": 1},
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_api_edition_list_queries_do_not_grow_with_editions(client, db, count):
    for _ in range(count):
        EditionFactory(guest_of_honour="GB", observers=["RU", "FR"])
    with CaptureQueriesContext(connection) as queries:
        results = client.get("/api/v1/editions").json()["results"]
    assert [item["observers"] for item in results] == [["RU", "FR"]] * count
    assert len(queries) == 2  # the editions, their guests


# --- Admin ----------------------------------------------------------------------------------


def test_organisers_add_a_guest_in_the_edition_admin(client, organiser, edition):
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:ciep_edition_change", args=[edition.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Guest of honour and observers" in response.content.decode()
    form = response.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    guests = list(edition.guests.all())
    data.update(
        {
            "start_date": edition.start_date.isoformat(),
            "end_date": edition.end_date.isoformat(),
            "guests-TOTAL_FORMS": len(guests) + 1,
            "guests-INITIAL_FORMS": len(guests),
            "changes-TOTAL_FORMS": 0,
            "changes-INITIAL_FORMS": 0,
        }
    )
    for index, guest in enumerate(guests):
        for name in ("id", "country", "role", "order", "intro_en", "intro_zh"):
            value = getattr(guest, name)
            data[f"guests-{index}-{name}"] = getattr(value, "code", value)
        data[f"guests-{index}-edition"] = edition.pk
    new = len(guests)
    data.update(
        {
            f"guests-{new}-country": "UA",
            f"guests-{new}-role": "observer",
            f"guests-{new}-order": 2,
            f"guests-{new}-intro_en": "Ukraine observes.",
            f"guests-{new}-intro_zh": "乌克兰观察。",
            f"guests-{new}-edition": edition.pk,
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = client.post(url, data)
    assert response.status_code == 302
    assert [c.code for c in Edition.objects.get(pk=edition.pk).observers] == ["RU", "UA"]


def test_admin_refuses_a_second_guest_of_honour(client, organiser, edition):
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:ciep_edition_change", args=[edition.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "start_date": edition.start_date.isoformat(),
            "end_date": edition.end_date.isoformat(),
            "guests-TOTAL_FORMS": 1,
            "guests-INITIAL_FORMS": 0,
            "guests-0-country": "FR",
            "guests-0-role": "guest_of_honour",
            "guests-0-order": 1,
            "guests-0-edition": edition.pk,
            "changes-TOTAL_FORMS": 0,
            "changes-INITIAL_FORMS": 0,
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "An edition has one guest of honour" in response.content.decode()
    assert edition.guests.count() == 2


# --- Demo -----------------------------------------------------------------------------------


def test_demo_gives_both_editions_their_guest_pages(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # again: nothing doubles
    for number in (17, 20):
        edition = Edition.objects.get(number=number)
        assert [(g.country.code, g.role) for g in edition.guests.all()] == [
            ("GB", "guest_of_honour"),
            ("RU", "observer"),
        ]
        for code in ("GB", "RU"):
            assert Delegation.objects.filter(edition=edition, country=code).count() == 1
            assert Session.objects.filter(edition=edition, guest_country=code).exists()
            assert Article.objects.filter(edition=edition, countries__contains=code).count() == 1
            html = client.get(_page(edition, code.lower())).content.decode()
            assert _links(_section(html, "guest-exhibitors-heading")), (number, code)
    with translation.override("zh-hans"):
        assert EditionGuest.objects.get(edition__number=20, country="RU").intro.startswith("俄罗斯")
