"""A page drawn while a writer's transaction is open is not left stale after the commit, with
real threads on PostgreSQL (where a reader does not wait for the writer's rows)."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from tests.projects.factories import ProjectFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL lets a reader draw the old rows during a write.")


def test_page_drawn_before_the_writers_commit_is_fresh_after_it(client):
    project = ProjectFactory(summary_en="Old summary")
    url = reverse("projects:project_detail", args=[project.pk])
    saved, drawn = threading.Event(), threading.Event()
    errors = []

    def writer():
        try:
            with transaction.atomic():
                project.summary_en = "New summary"
                project.save()
                saved.set()
                assert drawn.wait(30)  # the reader drew (and cached) the page meanwhile
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert saved.wait(30)
    during = client.get(url)
    drawn.set()
    thread.join(30)
    assert not errors
    assert during["X-Page-Cache"] == "miss"
    assert "Old summary" in during.content.decode()  # drawn from the committed rows
    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "New summary" in after.content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
