"""Django's Redis cache, keeping one client per connection pool and riding out an outage.

Django's backend builds a new ``redis.Redis`` for every operation, and building one (its table
of reply parsers) costs about as much as the round trip to Redis: a page served from the
cache paid it twice. A client is safe to share between threads, so one per pool is kept.

A Redis that is down or does not answer within its socket timeout is treated as a cache that
holds nothing: reads miss, writes are dropped, ``incr`` finds no key. After a failure Redis is
not asked again for ``RETRY_AFTER`` seconds, so a page pays the timeout at most once rather
than once per cache operation. Pages are then drawn from the database, sessions read from
their table (``cached_db``), and the rate limits (on sign-ins and on posts), which count in
the cache, are not applied until Redis is back: refusing every sign-in or form during an
outage would be worse.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0


def _missing_key(key, *args):
    raise ValueError(f"Key '{key}' not found.")


# What each operation answers while Redis cannot be reached: the answer of an empty cache.
_WHEN_DOWN = {
    "add": lambda *args: True,
    "get": lambda key, default: default,
    "set": lambda *args: None,
    "touch": lambda *args: False,
    "delete": lambda *args: False,
    "get_many": lambda *args: {},
    "has_key": lambda *args: False,
    "incr": _missing_key,
    "set_many": lambda *args: None,
    "delete_many": lambda *args: None,
    "clear": lambda *args: False,
}


def _tolerant(name):
    operation = getattr(RedisCacheClient, name)
    when_down = _WHEN_DOWN[name]

    @functools.wraps(operation)
    def wrapper(self, *args):
        if time.monotonic() < self._down_until:
            return when_down(*args)
        try:
            result = operation(self, *args)
        except RedisError as error:
            if self._down_until == 0.0:
                logger.warning("Redis cannot be reached (%s): serving without a cache", error)
            self._down_until = time.monotonic() + RETRY_AFTER
            return when_down(*args)
        if self._down_until:
            logger.warning("Redis answers again")
            self._down_until = 0.0
        return result

    return wrapper


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._down_until = 0.0

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def ping(self) -> None:
        """Ask Redis itself, raising when it cannot be reached (for the readiness check)."""
        self.get_client(write=True).ping()


for _name in _WHEN_DOWN:
    setattr(_Client, _name, _tolerant(_name))


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client

    def check(self) -> None:
        self._cache.ping()
