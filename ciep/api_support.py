"""What every part of the public JSON API shares: bilingual texts, cursor pages, conditional
GETs and rate limits.

Each area writes its own endpoints (``<area>/api.py``, a django-ninja ``Router``) with these
helpers; ``ciep.api`` mounts them, found through the area registry.

- Bilingual texts are objects in both languages, ``{"en": "...", "zh": "..."}``, whatever the
  reader's language: a client decides which to show and how to fall back.
- Lists are pages in id order: ``{"results": [...], "next": url or null}``. ``cursor`` is opaque
  (it names the last id of the page before); ``page_size`` is capped at ``MAX_PAGE_SIZE``.
- GETs carry an ``ETag`` and answer ``If-None-Match`` with 304; anonymous reads may be kept
  by shared caches for a minute (``Cache-Control: public, max-age=60``).
- Writes carrying an ``Idempotency-Key`` header run once per key and token
  (``ciep.api_idempotency``).
- Bad input is a 400 whose ``detail`` lists each error with the ``loc`` of its field
  (``["query", "page_size"]``, ``["body", "data", "state"]``).
- Each client address may make ``API_RATE_LIMITS["anonymous"]`` requests without a token, each
  token ``API_RATE_LIMITS["token"]``; past it the answer is 429 in JSON with ``Retry-After``.
"""

import base64
import binascii
import hashlib
import time
from functools import wraps

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from ninja import Schema
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import create_model

from . import api_idempotency as idempotency
from . import ratelimits
from .observability import client_ip

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_AGE = 60

# Requests per client address without a token, and per token; ``DJANGO_RATE_LIMITS`` may
# change them under the names "api:anonymous" and "api:token".
API_RATE_LIMITS = {"anonymous": "120/m/ip", "token": "600/m/ip"}


class Text(Schema):
    """A text in both languages; an empty string where it has not been written."""

    en: str
    zh: str


def text(obj, name: str) -> dict:
    """``obj``'s bilingual text ``name`` (its ``<name>_en`` and ``<name>_zh`` columns)."""
    return {"en": getattr(obj, f"{name}_en") or "", "zh": getattr(obj, f"{name}_zh") or ""}


def page_of(item: type[Schema]) -> type[Schema]:
    """The schema of a page of ``item``s."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        results=(list[item], ...),
        next=(str | None, None),
    )


def bad_input(*loc: str, msg: str) -> ValidationError:
    """A 400 naming the field, like django-ninja's own checks of the request:
    ``raise bad_input("query", "cursor", msg="...")`` answers
    ``{"detail": [{"type": "value_error", "loc": ["query", "cursor"], "msg": "..."}]}``."""
    return ValidationError([{"type": "value_error", "loc": list(loc), "msg": msg}])


def _encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = raw.partition(":")
        if prefix != "after":
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_input(
            "query", "cursor", msg="Unreadable cursor: use the next link of the page before."
        ) from None


def paginate(
    request, queryset: QuerySet, serialize, *, cursor: str | None, page_size: int | None
) -> dict:
    """A page of ``queryset`` in id order after ``cursor``, each row through ``serialize``.

    Keyset pagination: a page costs the same however deep it is, and rows added meanwhile
    neither repeat nor shift. The queryset brings its own ``select_related`` and
    ``prefetch_related``, so the page's queries do not grow with its size.
    """
    size = DEFAULT_PAGE_SIZE if page_size is None else page_size
    if size < 1:
        raise bad_input("query", "page_size", msg="page_size must be at least 1.")
    size = min(size, MAX_PAGE_SIZE)
    rows = queryset.order_by("pk")
    if cursor:
        rows = rows.filter(pk__gt=_decode_cursor(cursor))
    rows = list(rows[: size + 1])
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        query = request.GET.copy()
        query["cursor"] = _encode_cursor(rows[-1].pk)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"results": [serialize(row) for row in rows], "next": next_url}


def has_token(request) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def _limit_wait(request) -> int | None:
    """Count this request against the API's limit; the seconds to wait when it is past."""
    overrides = getattr(settings, "RATE_LIMITS", {})
    if has_token(request):
        token = request.headers["Authorization"].split(" ", 1)[1].strip()
        who = "token:" + hashlib.sha256(token.encode()).hexdigest()[:16]
        text_ = overrides.get("api:token", API_RATE_LIMITS["token"])
    else:
        who = f"ip:{client_ip(request)}"
        text_ = overrides.get("api:anonymous", API_RATE_LIMITS["anonymous"])
    wait = None
    for rate in ratelimits.parse(text_ or ""):
        now = time.time()
        window = int(now // rate.period)
        key = f"ratelimit:api:{rate.count}/{rate.period}:{who}:{window}"
        count = ratelimits._count(key, rate.period)
        if count is not None and count > rate.count:
            wait = max(wait or 0, max(1, int((window + 1) * rate.period - now)))
    return wait


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def api_view(view):
    """Wraps every view of the API: rate limits first, then caching headers and conditional
    GETs on what the view answered."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        """Rate limit, then the view (once per idempotency key), then caching headers."""
        wait = _limit_wait(request)
        if wait is not None:
            response = JsonResponse(
                {"detail": "Too many requests: slow down and try again later."}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        if request.method not in SAFE_METHODS and idempotency.HEADER in request.headers:
            response = idempotency.idempotent(request, lambda: view(request, *args, **kwargs))
        else:
            response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            response.headers.setdefault("Cache-Control", "no-store")
            return response
        if has_token(request):
            response["Cache-Control"] = "private, no-cache"
        else:
            response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        response["Vary"] = "Authorization, Accept-Encoding"
        if response.streaming:
            return response
        etag = etag_of(response.content)
        response["ETag"] = etag
        wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
        if etag in wanted or "*" in wanted:
            not_modified = HttpResponse(status=304)
            for header in ("ETag", "Cache-Control", "Vary"):
                not_modified[header] = response[header]
            return not_modified
        return response

    return wrapped


class TokenAuth(HttpBearer):
    """A personal access token carrying ``scope``: no token, or an unknown, revoked or expired
    one, is a 401; a token without the scope a 403. The token's owner is ``request.auth.user``.
    """

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def authenticate(self, request, token: str):
        from .services import token_authenticate

        found = token_authenticate(token)
        if found is None:
            return None
        if self.scope not in found.scopes:
            raise HttpError(403, f"This token does not have the scope {self.scope}.")
        return found


def token_auth(scope: str) -> TokenAuth:
    return TokenAuth(scope)


class OrganiserTokenAuth(TokenAuth):
    """A token with the exports' scope whose owner is an organiser still: the exports are the
    back office's, and a former organiser's token reads them no more (403)."""

    def authenticate(self, request, token: str):
        from .permissions import is_organiser

        found = super().authenticate(request, token)
        if found is not None and not is_organiser(found.user):
            raise HttpError(403, "Only organisers' tokens read the exports.")
        return found


def exports_auth() -> OrganiserTokenAuth:
    from .areas import EXPORTS_SCOPE

    return OrganiserTokenAuth(EXPORTS_SCOPE)


def export_endpoint(router, path: str, *, item: type[Schema], summary: str):
    """Declare one of the organisers' exports on an area's ``router``: a GET of ``path``
    (``/exports/<name>``) answering pages of ``item`` to an organiser's token of the exports'
    scope only."""
    return router.get(path, response=page_of(item), auth=exports_auth(), summary=summary)


#: Every back-office export that the API reads through a declaration (``ciep.exports.Export``),
#: by its path under /api/v1/: what the tests and the OpenAPI description go through.
DECLARED_EXPORTS: dict[str, object] = {}


def declared_export_endpoint(router, export, *, prefix: str, summary: str = "") -> None:
    """Declare the API's reading of the back office's ``export`` on an area's ``router``:
    ``GET /exports/<name>``, pages of rows in id order with the admin CSV's columns (each
    under its attribute path), to an organiser's token of the exports' scope only, filtered by
    ``edition`` (its number) when the rows belong to an edition. ``prefix`` is where the
    router is mounted ("" for the core, "/<area>")."""
    row_fields = {"id": (int, ...)}
    for path in export.fields:
        row_fields[path] = (int | float | bool | str | None, None)
    item = create_model(f"{export.model.__name__}ExportRow", __base__=Schema, **row_fields)
    path = f"/exports/{export.name}"
    operation_id = "export_" + f"{prefix}_{export.name}".strip("_/").replace("-", "_").replace(
        "/", "_"
    )
    edition = export.edition
    if not summary:
        from django.utils import translation

        with translation.override("en"):
            plural = str(export.model._meta.verbose_name_plural)
        summary = f"Every row of {plural}, as the back office exports them (organisers only)"

    def read(request, cursor: str | None = None, page_size: int | None = None):
        return paginate(request, export.all(), export.api_row, cursor=cursor, page_size=page_size)

    def read_of_edition(
        request,
        edition: int | None = None,
        cursor: str | None = None,
        page_size: int | None = None,
    ):
        rows = export.all()
        if edition is not None:
            rows = rows.filter(**{export.edition: edition})
        return paginate(request, rows, export.api_row, cursor=cursor, page_size=page_size)

    view = read_of_edition if edition else read
    view.__name__ = operation_id
    router.get(
        path,
        response=page_of(item),
        auth=exports_auth(),
        summary=summary,
        operation_id=operation_id,
        description=f"The columns of the back office's {export.filename}.",
    )(view)
    DECLARED_EXPORTS[f"{prefix}{path}"] = export


def filtered(queryset: QuerySet, **lookups) -> QuerySet:
    """``queryset`` filtered by each lookup whose value was given (not ``None`` or empty):
    a list's optional filters, ``filtered(rows, edition__number=edition, state=state)``."""
    given = {lookup: value for lookup, value in lookups.items() if value not in (None, "")}
    return queryset.filter(**given) if given else queryset
