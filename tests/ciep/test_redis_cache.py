"""The Redis cache backend, against the Redis the machine runs (skipped where there is none)."""

import pytest
import redis

from ciep.redis_cache import PortalRedisCache

URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on this machine")
    backend = PortalRedisCache(URL, {"KEY_PREFIX": "ciep-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_one_client_serves_every_operation(redis_cache):
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)


def test_it_behaves_as_the_cache_the_portal_relies_on(redis_cache):
    assert redis_cache.add("views", 1, None)
    assert not redis_cache.add("views", 5, None)
    assert redis_cache.incr("views") == 2
    with pytest.raises(ValueError):
        redis_cache.incr("missing")
    redis_cache.set_many({"a": (b"<p>page</p>", "text/html"), "b": 2}, 60)
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": (b"<p>page</p>", "text/html"), "b": 2}
