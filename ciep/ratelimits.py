"""Rate limits on the posts that mail someone or create what another person sees.

One middleware applies them by URL name, so the limits of every area, and of allauth's own
pages (sign-up, password reset, e-mail change), are stated once: the core's and allauth's in
``DEFAULT_RATE_LIMITS`` below, each area's in its registration (``Area.rate_limits``), and no
view needs a decorator to be covered. ``DJANGO_RATE_LIMITS`` (a JSON object,
``settings.RATE_LIMITS``) changes or removes any of them, e.g.
``{"exhibitions:meeting_request": "5/h/user,20/h/ip", "account_signup": null}``.

A limit reads like allauth's ``ACCOUNT_RATE_LIMITS``: ``count/period/scope``, comma-separated,
where period is a number of seconds with an optional ``s``, ``m``, ``h`` or ``d`` (``10m`` is
ten minutes) and scope is ``user`` (the signed-in account; anonymous posts skip it) or ``ip``
(the client's address, ``ciep.observability.client_ip``, which follows
``DJANGO_TRUSTED_PROXIES``). Only posts count, in a fixed window per limit: ``cache.add`` then
``cache.incr`` on one key per window, which Redis does atomically across every app server.
The post past a limit is answered 429 with the portal's page in the visitor's language and
``Retry-After``, and its view does not run. A cache that fails (Redis down) lets every post
through and logs it: refusing every action during an outage would be worse than no limit.
"""

import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from . import areas
from .observability import client_ip

logger = logging.getLogger(__name__)

# How often a person (user) or an address (ip) may post each form. Addresses are shared by
# everyone on a fair's Wi-Fi or a company's network, so their limits are several times wider.
DEFAULT_RATE_LIMITS = {
    # Mails to another person.
    "ciep:organisation_members": "30/h/user,100/h/ip",
    "ciep:delegation_manage": "30/h/user,100/h/ip",
    # What others see.
    "ciep:organisation_create": "10/h/user,50/h/ip",
    # Accounts: allauth's own limits (ACCOUNT_RATE_LIMITS) apply as well.
    "account_signup": "60/h/ip",
    "account_reset_password": "10/h/user,30/h/ip",
    "account_email": "10/h/user,30/h/ip",
}

_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^(\d+)/(\d*)([smhd]?)/(user|ip)$")


@dataclass(frozen=True)
class Rate:
    count: int
    period: int
    scope: str


def parse(text: str) -> list[Rate]:
    """``"10/h/user,60/h/ip"`` as rates; an unreadable part raises ``ValueError``."""
    rates = []
    for part in filter(None, (item.strip() for item in (text or "").split(","))):
        match = _RATE.match(part)
        if match is None:
            raise ValueError(f"Unreadable rate limit {part!r} (e.g. 10/h/user or 30/10m/ip).")
        count, amount, unit, scope = match.groups()
        rates.append(Rate(int(count), int(amount or 1) * _UNITS[unit], scope))
    return rates


def default_rate_limits() -> dict[str, str]:
    """The core's and the areas' default limits, URL name -> rate."""
    return {**DEFAULT_RATE_LIMITS, **areas.rate_limits()}


def rate_limits() -> dict[str, list[Rate]]:
    """The limits in force: the defaults, changed by ``settings.RATE_LIMITS``."""
    limits = {**default_rate_limits(), **getattr(settings, "RATE_LIMITS", {})}
    return {name: parse(text) for name, text in limits.items() if text}


def _now() -> float:
    return time.time()


def _count(key: str, period: int) -> int | None:
    """Count one post under ``key``; ``None`` when the cache cannot say (fail open)."""
    try:
        cache.add(key, 0, timeout=period + 1)
        return cache.incr(key)
    except ValueError:
        # The key is gone between add and incr: it expired, or Redis stopped answering.
        return None
    except Exception as error:
        logger.warning("Rate limits not applied: the cache failed (%s)", error)
        return None


def exceeded(request, name: str) -> int | None:
    """Count this post against the limits of ``name``; the seconds to wait when one is past."""
    wait = None
    for rate in rate_limits().get(name, []):
        if rate.scope == "user":
            if not request.user.is_authenticated:
                continue
            who = f"user:{request.user.pk}"
        else:
            who = f"ip:{client_ip(request)}"
        now = _now()
        window = int(now // rate.period)
        count = _count(f"ratelimit:{name}:{rate.count}/{rate.period}:{who}:{window}", rate.period)
        if count is not None and count > rate.count:
            left = max(1, int((window + 1) * rate.period - now))
            wait = max(wait or 0, left)
    return wait


class RateLimitMiddleware:
    """Answers 429 to a post past its URL's limit, before its view runs (after CSRF's check,
    so that a forged post counts against no one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        wait = exceeded(request, request.resolver_match.view_name)
        if wait is None:
            return None
        from .views import too_many_requests

        return too_many_requests(request, retry_after=wait)
