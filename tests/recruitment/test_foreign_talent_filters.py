"""The job search filters on what foreign talent needs settled: the work-permit category
sponsored, R-visa support, relocation and housing help, each counted in the form."""

import datetime

import pytest
from django.utils import timezone

from recruitment import selectors
from recruitment.models import SavedSearch
from tests.factories import UserFactory

from .factories import JobPostingFactory

pytestmark = pytest.mark.django_db

JOBS = "/jobs/"


def titles(response):
    return [posting.title_en for posting in response.context["postings"]]


@pytest.fixture
def postings(edition):
    return {
        "a": JobPostingFactory(
            title_en="Chief scientist",
            work_permit="A",
            r_visa_support=True,
            relocation_help=True,
            housing_help=True,
        ),
        "b": JobPostingFactory(title_en="Data engineer", work_permit="B", relocation_help=True),
        "c": JobPostingFactory(title_en="English teacher", work_permit="C", housing_help=True),
        "none": JobPostingFactory(title_en="Local sales lead"),
        "closed": JobPostingFactory(title_en="Closed role", work_permit="A", draft=True),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("work_permit=A", ["Chief scientist"]),
        ("work_permit=B&work_permit=C", ["English teacher", "Data engineer"]),
        (
            "work_permit=A&work_permit=B&work_permit=C",
            ["English teacher", "Data engineer", "Chief scientist"],
        ),
        ("r_visa=on", ["Chief scientist"]),
        ("relocation=on", ["Data engineer", "Chief scientist"]),
        ("housing=on", ["English teacher", "Chief scientist"]),
        ("work_permit=B&relocation=on", ["Data engineer"]),
        ("work_permit=C&relocation=on", []),
        (
            "r_visa=&relocation=",
            ["Local sales lead", "English teacher", "Data engineer", "Chief scientist"],
        ),
    ],
)
def test_foreign_talent_filters(client, postings, query, expected):
    assert titles(client.get(f"{JOBS}?{query}")) == expected


def test_old_work_permit_checkbox_means_any_category(client, postings):
    assert titles(client.get(f"{JOBS}?work_permit=on")) == [
        "English teacher",
        "Data engineer",
        "Chief scientist",
    ]


@pytest.mark.parametrize("value", ["D", "a", "", "x" * 500])
def test_unknown_permit_category_shows_no_job(client, postings, value):
    response = client.get(JOBS, {"work_permit": value})
    assert response.status_code == 200
    if value == "":
        assert len(titles(response)) == 4
        return
    assert titles(response) == []
    assert "Select a valid choice" in response.content.decode()


def test_filter_form_counts_open_postings_per_choice(client, postings):
    page = client.get(JOBS).content.decode()
    assert "Category A (high-end talent) (1)" in page
    assert "Category B (professional talent) (1)" in page
    assert "Category C (other) (1)" in page
    assert "Talent visa (R visa) support (1)" in page
    assert "Relocation help (2)" in page
    assert "Housing help (2)" in page


def test_filter_form_counts_in_chinese(client, postings):
    page = client.get("/zh-hans" + JOBS).content.decode()
    assert "人才签证（R字签证）支持 (1)" in page
    assert "搬迁协助 (2)" in page
    assert "住房协助 (2)" in page
    assert "A类（高端人才） (1)" in page


def test_counts_follow_a_new_posting(client, postings):
    assert "Relocation help (2)" in client.get(JOBS).content.decode()
    JobPostingFactory(relocation_help=True)
    assert "Relocation help (3)" in client.get(JOBS).content.decode()


def test_facets_count_only_public_postings(postings):
    assert selectors._count_posting_facets() == {
        "work_permit": {"A": 1, "B": 1, "C": 1},
        "r_visa": 1,
        "relocation": 2,
        "housing": 2,
    }


def test_saved_search_alerts_use_the_new_filters(postings):
    since = timezone.now() - datetime.timedelta(days=1)
    search = SavedSearch.objects.create(
        user=UserFactory(), name="Moving", query="work_permit=B&relocation=on"
    )
    matches = selectors.saved_search_matches(search, since=since)
    assert [posting.title_en for posting in matches] == ["Data engineer"]
    search.query = "work_permit=on"
    matches = selectors.saved_search_matches(search, since=since)
    assert sorted(posting.title_en for posting in matches) == [
        "Chief scientist",
        "Data engineer",
        "English teacher",
    ]


@pytest.mark.parametrize("count", [1, 30])
def test_filtered_job_list_queries_do_not_grow(client, edition, django_assert_num_queries, count):
    client.force_login(UserFactory())
    for _ in range(count):
        JobPostingFactory(work_permit="B", relocation_help=True, languages=["en"])
    with django_assert_num_queries(9):
        client.get(JOBS + "?work_permit=A&work_permit=B&relocation=on&housing=")
