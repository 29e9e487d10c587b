"""The home page: the edition's hero and figures, the areas' pictures and their sections."""

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.utils import timezone

from ciep.caching import forget_versions
from tests.conftest import image_file
from tests.exhibitions.factories import ExhibitorFactory
from tests.factories import OrganisationFactory
from tests.forums.factories import SessionFactory, in_days

pytestmark = pytest.mark.django_db


def test_home_hero_shows_theme_dates_and_key_figures(client, edition):
    ExhibitorFactory(edition=edition)
    body = client.get("/").content.decode()
    assert 'class="home-hero"' in body
    assert "Innovation, Development, Cooperation and Win-win" in body
    figures = body.split('class="key-figures"')[1].split("</dl>")[0]
    assert "<dt>exhibitors</dt><dd>1</dd>" in figures
    for picture in ("exhibitions", "recruitment", "projects", "forums"):
        assert f'src="/static/img/areas/{picture}.svg"' in body


def test_home_features_exhibitors_with_a_logo_most_visited_first(client, edition):
    quiet = ExhibitorFactory(
        edition=edition, organisation=OrganisationFactory(name_en="Quiet Labs"), logo=image_file()
    )
    busy = ExhibitorFactory(
        edition=edition, organisation=OrganisationFactory(name_en="Busy Labs"), logo=image_file()
    )
    ExhibitorFactory(edition=edition, organisation=OrganisationFactory(name_en="No Logo Ltd"))
    type(busy).objects.filter(pk=busy.pk).update(page_views=10)
    body = client.get("/").content.decode()
    wall = body.split('class="logo-wall')[1].split("</ul>")[0]
    assert wall.index("Busy Labs") < wall.index("Quiet Labs")
    assert "No Logo Ltd" not in wall
    assert quiet.get_absolute_url() in wall


def test_home_shows_the_next_sessions_and_not_the_cancelled_or_past(client, edition):
    SessionFactory(edition=edition, title_en="Long past", start=in_days(-3, 9))
    SessionFactory(edition=edition, title_en="Called off", start=in_days(2, 9), status="cancelled")
    SessionFactory(edition=edition, title_en="Talent forum", start=in_days(3, 9))
    SessionFactory(edition=edition, title_en="Photonics workshop", start=in_days(4, 9))
    body = client.get("/").content.decode()
    programme = body.split('id="home-sessions"')[1].split("</section>")[0]
    assert programme.index("Talent forum") < programme.index("Photonics workshop")
    assert "Long past" not in programme and "Called off" not in programme


def test_home_shows_an_edition_s_first_sessions_once_all_have_begun(client, edition):
    SessionFactory(
        edition=edition, title_en="Opening", start=timezone.now() - timezone.timedelta(days=9)
    )
    body = client.get("/").content.decode()
    assert "Opening" in body.split('id="home-sessions"')[1]


HOME_QUERIES = 10


@pytest.mark.parametrize("count", [1, 12])
def test_home_query_count_does_not_grow(client, edition, django_assert_num_queries, count):
    for day in range(count):
        ExhibitorFactory(edition=edition, logo=image_file())
        SessionFactory(edition=edition, start=in_days(day + 1, 9))
    client.get("/")  # warm caches (sessions, content types)
    cache.clear()  # measure the page as rendered, not as served from the page cache
    forget_versions()
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Galilee Biomed Ltd", "GB"),
        ("Pitch@Palace", "PI"),
        ("Professor Zhang Han", "ZH"),
        ("Dr Elena Sokolova", "ES"),
        ("深圳大学", "深圳"),
        ("", ""),
    ],
)
def test_initials_of_a_name(name, expected):
    rendered = Template("{% load portal %}{{ name|initials }}").render(Context({"name": name}))
    assert rendered == expected


def test_report_shows_charts_before_its_tables_folded_in_details(client, edition):
    from tests.factories import OrganisationFactory as Organisations

    ExhibitorFactory(edition=edition, organisation=Organisations(country="FI"))
    body = client.get(f"/editions/{edition.number}/report/").content.decode()
    first = body.split('class="mb-5 report-section"')[1].split("</section>")[0]
    assert (
        'class="row row-cols-2 row-cols-md-3 row-cols-xl-4 g-3 figures headline-figures"' in first
    )
    exhibition = body.split("Virtual Exhibition Hall</h2>")[1].split("</section>")[0]
    assert exhibition.index('class="bar-chart"') < exhibition.index("<details")
    assert exhibition.index("<details") < exhibition.index("<table")
