"""Every keyword search is backed by an index on the exact expression Django queries."""

import pytest
from django.db import connection

from ciep.bilingual import bilingual_search
from ciep.models import Organisation
from exhibitions.models import Exhibitor, Product
from forums.models import Session
from projects.models import Project
from recruitment.filters import JobPostingFilter
from recruitment.models import JobPosting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SEARCHES = [
    (Organisation, "name", ["name_en", "name_zh"]),
    (Exhibitor, "description", ["description_en", "description_zh"]),
    (Product, "name", ["name_en", "name_zh"]),
    (Product, "summary", ["summary_en", "summary_zh"]),
    (JobPosting, "title", ["title_en", "title_zh"]),
    (JobPosting, "description", ["description_en", "description_zh"]),
    (Project, "title", ["title_en", "title_zh"]),
    (Project, "summary", ["summary_en", "summary_zh"]),
    (Session, "title", ["title_en", "title_zh"]),
    (Session, "abstract", ["abstract_en", "abstract_zh"]),
]


@pytest.mark.parametrize(("model", "name", "columns"), SEARCHES)
def test_icontains_search_uses_trigram_index(model, name, columns):
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = model.objects.order_by().filter(bilingual_search("engineer", name)).explain()
    for column in columns:
        assert f"{column}_trgm" in plan, plan


# Searches across tables, each part on its own table's index (no join before the test).
COMBINED = [
    (
        lambda query: Exhibitor.objects.search(query),
        [
            "description_en",
            "description_zh",
            "ciep_organisation_name_en",
            "ciep_organisation_name_zh",
            "exhibitions_product_name_en",
            "exhibitions_product_name_zh",
            "exhibitions_product_summary_en",
            "exhibitions_product_summary_zh",
        ],
    ),
    (
        lambda query: JobPostingFilter({"q": query}).qs,
        ["title_en", "title_zh", "description_en", "description_zh", "name_en", "name_zh"],
    ),
    (
        lambda query: Session.objects.search(query),
        ["title_en", "title_zh", "abstract_en", "abstract_zh"],
    ),
]


@pytest.mark.parametrize(("search", "columns"), COMBINED)
def test_search_across_tables_uses_each_tables_index(search, columns):
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search("engineer").explain()
    for column in columns:
        assert f"{column}_trgm" in plan, plan


def test_planner_knows_random_reads_are_cheap():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
