"""The cache of a portal without Redis (ciep/file_cache.py), as the settings configure it."""

import multiprocessing
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import ciep.settings as project_settings
from ciep.caching import forget_versions
from ciep.file_cache import PortalFileCache
from tests.exhibitions.factories import ExhibitorFactory

pytestmark = pytest.mark.skipif(
    bool(project_settings.REDIS_URL), reason="the settings choose Redis, not the files"
)


@pytest.fixture
def embedded(settings, tmp_path):
    """The settings' own cache without Redis, in a folder of the test's."""
    settings.CACHES = {
        alias: {**config, "LOCATION": tmp_path / alias}
        for alias, config in project_settings.CACHES.items()
    }
    forget_versions()
    return tmp_path


def test_the_default_is_shared_by_processes_and_keeps_sessions_apart():
    assert {alias: config["BACKEND"] for alias, config in project_settings.CACHES.items()} == {
        "default": "ciep.file_cache.PortalFileCache",
        "sessions": "ciep.file_cache.PortalFileCache",
    }
    assert project_settings.SESSION_CACHE_ALIAS == "sessions"
    assert project_settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] >= 10000


@pytest.mark.django_db
def test_a_cached_catalogue_stays_cached_after_many_other_pages(client, embedded, edition):
    for _ in range(3):
        ExhibitorFactory(edition=edition)
    catalogue = reverse("exhibitions:catalogue")
    assert client.get(catalogue)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as first:
        assert client.get(catalogue)["X-Page-Cache"] == "hit"
    # More pages than Django's default of 300 entries, each cached on its own.
    for number in range(320):
        assert client.get(catalogue, {"ref": number}).status_code == 200
    with CaptureQueriesContext(connection) as last:
        assert client.get(catalogue)["X-Page-Cache"] == "hit"
    assert len(last) == len(first) == 0


def _count(directory, times):
    backend = PortalFileCache(directory, {})
    for _ in range(times):
        backend.incr("views")


def test_concurrent_increments_lose_no_count(tmp_path):
    backend = PortalFileCache(tmp_path, {})
    assert backend.add("views", 0, None)
    assert not backend.add("views", 5, None)
    threads = [threading.Thread(target=_count, args=(tmp_path, 50)) for _ in range(6)]
    processes = [
        multiprocessing.get_context("fork").Process(target=_count, args=(tmp_path, 50))
        for _ in range(3)
    ]
    for worker in threads + processes:
        worker.start()
    for worker in threads + processes:
        worker.join()
    assert [process.exitcode for process in processes] == [0, 0, 0]
    assert backend.get("views") == 450
    assert backend.decr("views", 50) == 400


def test_an_increment_keeps_the_expiry_of_its_key(tmp_path):
    backend = PortalFileCache(tmp_path, {"TIMEOUT": 1})
    backend.set("version", 7, None)  # kept until changed
    backend.set("pending", 1, 60)
    assert backend.incr("version") == 8
    backend.incr("pending")
    time.sleep(1.1)  # past the default expiry
    assert backend.get("version") == 8
    assert backend.get("pending") == 2
    with pytest.raises(ValueError):
        backend.incr("missing")
