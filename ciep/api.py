"""The portal's public JSON API, version 1, at ``/api/v1/``: built from the area registry.

The core's own endpoints (``ciep.api_resources``) sit at the root; each area's router (its
``api`` hook) is mounted under ``/api/v1/<area key>/``. The OpenAPI description is at
``/api/v1/openapi.json`` and browsable docs at ``/api/v1/docs``, whose Swagger UI files are
django-ninja's own, served by the portal (no CDN; its page runs no inline script, so the
portal's Content-Security-Policy holds there too). Every view is wrapped by
``ciep.api_support.api_view`` for rate limits, caching headers and conditional GETs.
"""

from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from .api_support import api_view
from .areas import all_areas


class PortalJSONRenderer(JSONRenderer):
    # Chinese stays readable in the payloads instead of \uXXXX escapes.
    json_dumps_params = {"ensure_ascii": False}


DESCRIPTION = """\
Read-only public data of the portal of the Conference on International Exchange of
Professionals (CIEP, 中国国际人才交流大会), and
a person's own data with a personal access token (`Authorization: Bearer <token>`).

Every bilingual text is an object `{"en": ..., "zh": ...}`. Lists are pages in id order with a
`next` link (`cursor`, `page_size` up to 200). GETs carry an `ETag`; send it back in
`If-None-Match` for a 304. Anonymous clients may make 120 requests a minute per address.

Bad input is answered 400 with `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`,
where `loc` names the field. A write sent with an `Idempotency-Key` header (a UUID, say)
runs once per key and token: the same key with the same request gets the first answer again
(`Idempotent-Replayed: true`); the same key with a different request is a 422.

An organiser's token of the `exports:read` scope also reads the back office's exports, as
pages: `/exports/report/{number}` and each area's `…/exports/…`. Every admin CSV export is
one of them; where no older endpoint has its own shape, a row is the admin CSV's columns,
each under its attribute path (`edition__number`), a choice or a country as its code, both
languages as their `_en` and `_zh` columns, and the list takes an `edition` (its number).
"""


def build_api() -> NinjaAPI:
    from .api_resources import router as core_router

    api = NinjaAPI(
        title="CIEP portal API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api",
        docs=Swagger(settings={"persistAuthorization": False}),
        docs_url="/docs",
        openapi_url="/openapi.json",
        renderer=PortalJSONRenderer(),
    )

    @api.exception_handler(ValidationError)
    def bad_input(request, error):
        # 400, not django-ninja's 422: the request itself is wrong, and each entry's "loc"
        # says where ("query", "page_size").
        return api.create_response(request, {"detail": error.errors}, status=400)

    api.add_router("/", core_router)
    for area in all_areas():
        router = area.hook("api")
        if router is not None:
            api.add_router(f"/{area.key}/", router)
    return api


def urlpatterns_of(api: NinjaAPI) -> list:
    patterns, _app, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = api_view(pattern.callback)
    return patterns


api = build_api()
urlpatterns = urlpatterns_of(api)
