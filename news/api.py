"""The newsroom's part of the JSON API: the organisers' exports of articles and accreditations,
with an organiser's token of the exports:read scope (``ciep.api_support``)."""

from ninja import Router

from ciep.api_support import declared_export_endpoint

from . import exports

router = Router(tags=["news"])

for _export in (exports.ARTICLES, exports.ACCREDITATIONS):
    declared_export_endpoint(router, _export, prefix="/news")
