"""The detail pages that visitors open most, drawn from an empty cache: a fixed number of
queries however much the object holds, and no read of a part joining its parent again."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciep.caching import forget_versions
from ciep.models import Language
from projects.models import CooperationType
from tests.exhibitions.factories import ExhibitorFactory, SlotFactory
from tests.factories import FieldFactory
from tests.forums.factories import SessionFactory, SessionSpeakerFactory
from tests.projects.factories import ProjectFactory
from tests.recruitment.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


def cold_queries(client, url):
    """The queries of ``url`` drawn for a visitor with nothing cached."""
    assert client.get(url).status_code == 200  # per-process caches (content types, templates)
    cache.clear()
    forget_versions()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


def joins(sql: str, table: str) -> bool:
    return f'JOIN "{table}"' in sql


@pytest.mark.parametrize("count", [1, 3])
def test_job_page(client, edition, count):
    posting = JobPostingFactory(
        edition=edition, languages=list(Language.values)[:count] or [Language.CHINESE]
    )
    queries = cold_queries(client, posting.get_absolute_url())
    assert len(queries) == 2
    assert not joins(queries[1], "recruitment_jobposting")  # the languages alone


@pytest.mark.parametrize("count", [1, 3])
def test_project_page(client, edition, count):
    project = ProjectFactory(
        edition=edition,
        cooperation_types=list(CooperationType.values)[:count],
        fields=[FieldFactory() for _ in range(count)],
    )
    for number in range(count):
        project.documents.create(title_en=f"Plan {number}", file=f"projects/plan-{number}.pdf")
    queries = cold_queries(client, project.get_absolute_url())
    assert len(queries) == 5
    parts = [sql for sql in queries if "projects_projectcooperationtype" in sql.split("FROM")[1]]
    parts += [sql for sql in queries if "projects_projectdocument" in sql.split("FROM")[1]]
    assert len(parts) == 2
    assert not any(joins(sql, "projects_project") for sql in parts)


@pytest.mark.parametrize("count", [1, 4])
def test_session_page(client, edition, count):
    session = SessionFactory(edition=edition)
    SessionSpeakerFactory.create_batch(count, session=session)
    session.fields.set([FieldFactory() for _ in range(count)])
    # The session, its seats, its fields, its speakers and the related sessions' cards.
    assert len(cold_queries(client, session.get_absolute_url())) == 5


@pytest.mark.parametrize("count", [1, 4])
def test_booth_page_parts_are_read_without_their_exhibitor(client, edition, count):
    exhibitor = ExhibitorFactory(edition=edition)
    for number in range(count):
        SlotFactory(exhibitor=exhibitor)
        exhibitor.products.create(name_en=f"Product {number}")
        exhibitor.brochures.create(title_en=f"Brochure {number}", file="b.pdf")
    queries = cold_queries(client, exhibitor.get_absolute_url())
    assert len(queries) == 6
    parts = [
        sql
        for sql in queries
        if sql.split("FROM")[-1].split()[0].strip('"')
        in ("exhibitions_galleryimage", "exhibitions_product", "exhibitions_brochure")
    ]
    assert len(parts) == 3
    assert not any(joins(sql, "exhibitions_exhibitor") for sql in parts)
