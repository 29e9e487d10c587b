import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ciep.models import Organisation
from tests.exhibitions.factories import ExhibitorFactory
from tests.factories import EditionFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.recruitment.factories import JobPostingFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def _locations(response) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def _head(response) -> dict[str, str]:
    html = response.content.decode()
    tags = re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', html)
    links = re.findall(
        r'<link rel="(canonical|alternate)"(?: hreflang="([^"]+)")? href="([^"]+)">', html
    )
    head = dict(tags)
    head.update({f"{rel}:{lang}" if lang else rel: url for rel, lang, url in links})
    return head


def test_robots_txt_keeps_robots_out_of_personal_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /private/",
        "Disallow: /i18n/",
        "Disallow: /metrics",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /me/",
        "Disallow: /zh-hans/admin/",
        "Disallow: /zh-hans/accounts/",
        "Disallow: /zh-hans/me/",
        "",
        f"Sitemap: {SITE}/sitemap.xml",
    ]


def test_sitemap_index_lists_every_section_on_the_portal_address(client):
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")

    assert response.status_code == 200
    assert _locations(response) == [
        f"{SITE}/sitemap-{name}.xml"
        for name in (
            "pages",
            "editions",
            "organisations",
            "delegations",
            "booths",
            "halls",
            "jobs",
            "demands",
            "projects",
            "competitions",
            "sessions",
            "speakers",
            "news",
        )
    ]


def test_sitemap_gives_each_public_page_in_both_languages_with_alternates(client):
    exhibitor = ExhibitorFactory()

    response = client.get("/sitemap-booths.xml")

    path = f"/exhibition/exhibitors/{exhibitor.pk}/"
    assert _locations(response) == [f"{SITE}{path}", f"{SITE}/zh-hans{path}"]
    assert (
        f'<xhtml:link rel="alternate" hreflang="zh-hans" href="{SITE}/zh-hans{path}"/>'
        in response.content.decode()
    )


def test_sitemap_leaves_out_what_visitors_cannot_open(client):
    edition = EditionFactory(is_current=True)
    published = JobPostingFactory(edition=edition)
    JobPostingFactory(edition=edition, draft=True)
    shown = ProjectFactory(edition=edition)
    ProjectFactory(edition=edition, hidden_at=timezone.now(), hidden_reason="Spam")
    unverified = OrganisationFactory(unverified=True)

    jobs = _locations(client.get("/sitemap-jobs.xml"))
    projects = _locations(client.get("/sitemap-projects.xml"))
    organisations = _locations(client.get("/sitemap-organisations.xml"))

    assert jobs == [f"{SITE}/jobs/{published.pk}/", f"{SITE}/zh-hans/jobs/{published.pk}/"]
    assert projects == [
        f"{SITE}/projects/{shown.pk}/",
        f"{SITE}/zh-hans/projects/{shown.pk}/",
    ]
    verified = Organisation.objects.exclude(pk=unverified.pk).order_by("pk")
    assert organisations == [
        f"{SITE}{prefix}/organisations/{organisation.pk}/"
        for organisation in verified
        for prefix in ("", "/zh-hans")
    ]


def test_sitemap_section_queries_do_not_grow_with_rows(client):
    ExhibitorFactory()
    with CaptureQueriesContext(connection) as one:
        client.get("/sitemap-booths.xml?fresh=1")
    ExhibitorFactory.create_batch(5)
    with CaptureQueriesContext(connection) as many:
        client.get("/sitemap-booths.xml?fresh=2")

    assert len(many) == len(one)


def test_unknown_sitemap_section_or_page_is_not_found(client):
    ExhibitorFactory()

    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-booths.xml?p=2").status_code == 404
    assert client.get("/sitemap-booths.xml?p=x").status_code == 404


def test_booth_page_carries_its_share_card_and_language_alternates(client):
    exhibitor = ExhibitorFactory(
        description_zh="我们展示<b>产品</b>。", logo="exhibitors/logos/x.png"
    )
    path = f"/exhibition/exhibitors/{exhibitor.pk}/"

    head = _head(client.get(f"/zh-hans{path}?page=2&q=x"))

    assert head["og:title"] == exhibitor.organisation.name_zh
    assert head["description"] == head["og:description"] == "我们展示产品。"
    assert head["og:image"] == f"{SITE}/media/exhibitors/logos/x.png"
    assert head["og:locale"] == "zh_CN"
    assert head["og:locale:alternate"] == "en_GB"
    assert head["canonical"] == head["og:url"] == f"{SITE}/zh-hans{path}?page=2"
    assert head["alternate:en"] == head["alternate:x-default"] == f"{SITE}{path}"
    assert head["alternate:zh-Hans"] == f"{SITE}/zh-hans{path}"
    assert head["twitter:card"] == "summary"


def test_page_without_its_own_card_shares_the_conference_card(client):
    head = _head(client.get("/forum/"))

    assert head["og:title"] == "Conference on International Exchange of Professionals"
    assert head["og:image"].startswith(f"{SITE}/static/img/share-card")
    assert head["twitter:card"] == "summary_large_image"
    assert head["description"].startswith("The yearly talent and technology fair in Shenzhen")


def test_long_description_is_cut_for_share_previews(client):
    exhibitor = ExhibitorFactory(description_en="word " * 100)

    head = _head(client.get(f"/exhibition/exhibitors/{exhibitor.pk}/"))

    assert len(head["description"]) == 160
    assert head["description"].endswith("…")
