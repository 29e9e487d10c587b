"""Redis cache backends side by side: Django's own, the portal's (ciep/redis_cache.py) and
django-redis, each doing what a page does with the cache (get, set and get_many of a 40 KB
page), ``--iterations`` times against the same Redis, printed as ratios to Django's.

    python bench/cache_backends.py [--url redis://127.0.0.1:6379/14] [--iterations 10000]

django-redis is measured when installed (``pip install django-redis``); it is not a dependency
of the portal. The figures are for people to read; nothing here passes or fails on a timing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciep.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")


def backends(url):
    from django.core.cache.backends.redis import RedisCache

    from ciep.redis_cache import PortalRedisCache

    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    found = {
        "Django's RedisCache": RedisCache(url, {"KEY_PREFIX": "bench", "OPTIONS": options}),
        "portal's PortalRedisCache": PortalRedisCache(
            url, {"KEY_PREFIX": "bench", "OPTIONS": options}
        ),
    }
    try:
        from django_redis.cache import RedisCache as DjangoRedisCache
    except ImportError:
        print("django-redis is not installed: left out")
    else:
        found["django-redis"] = DjangoRedisCache(
            url,
            {
                "KEY_PREFIX": "bench",
                "OPTIONS": {
                    "SOCKET_CONNECT_TIMEOUT": 0.5,
                    "SOCKET_TIMEOUT": 0.5,
                    "IGNORE_EXCEPTIONS": True,
                },
            },
        )
    return found


def measure(cache, iterations, page):
    keys = [f"page:{n}" for n in range(20)]
    for key in keys:
        cache.set(key, page, 300)
    timings = {}
    for name, operation in (
        ("get", lambda n: cache.get(keys[n % 20])),
        ("set", lambda n: cache.set(keys[n % 20], page, 300)),
        ("get_many", lambda n: cache.get_many(keys[:5])),
    ):
        started = time.perf_counter()
        for n in range(iterations):
            operation(n)
        timings[name] = (time.perf_counter() - started) / iterations * 1e6  # µs each
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--iterations", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    # A rendered page as the page cache keeps it: its bytes and content type, about 40 KB.
    page = (("<p>Booth 深圳 exhibitor profile</p>\n" * 1100).encode()[:40_000], "text/html")
    found = backends(args.url)
    results = {name: [] for name in found}
    for _ in range(args.repeat):  # interleaved, so that the machine's moods fall on all alike
        for name, cache in found.items():
            results[name].append(measure(cache, args.iterations, page))
    for cache in found.values():
        cache.clear()
    base = {
        op: statistics.median(run[op] for run in results["Django's RedisCache"])
        for op in page_ops()
    }
    print(f"{args.iterations} of each, median of {args.repeat} runs; µs each (ratio to Django's)")
    print("| backend | get | set | get_many (5) |")
    print("| --- | ---: | ---: | ---: |")
    for name, runs in results.items():
        cells = []
        for op in page_ops():
            value = statistics.median(run[op] for run in runs)
            cells.append(f"{value:.0f} ({value / base[op]:.2f})")
        print(f"| {name} | " + " | ".join(cells) + " |")


def page_ops():
    return ("get", "set", "get_many")


if __name__ == "__main__":
    main()
