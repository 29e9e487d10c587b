"""The conference core's endpoints of the JSON API: editions with their report, fields,
verified organisations and delegations. Public, read-only, with the pages' visibility."""

import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import back_office_exports, report
from .api_support import Text, declared_export_endpoint, exports_auth, page_of, paginate, text
from .bilingual import bilingual_search
from .models import Delegation, Edition, Field, Organisation

router = Router(tags=["conference"])


class FieldOut(Schema):
    id: int
    slug: str
    name: Text


class GuestOut(Schema):
    country: str
    role: str
    intro: Text
    order: int


class EditionOut(Schema):
    id: int
    number: int
    year: int
    title: Text
    theme: Text
    slogan: Text
    city: Text
    venue: Text
    start_date: datetime.date
    end_date: datetime.date
    format: str
    status: str
    is_current: bool
    guest_of_honour: str
    observers: list[str]
    # Every guest country in the pages' order: the guest of honour, then the observers.
    guests: list[GuestOut]


class EditionDetailOut(EditionOut):
    hosts: Text
    co_hosts: Text
    report: dict


class OrganisationOut(Schema):
    id: int
    name: Text
    description: Text
    type: str
    country: str
    city: str
    website: str
    logo: str | None
    fields: list[int]


class DelegationOut(Schema):
    id: int
    edition: int
    kind: str
    name: Text
    country: str
    parent: int | None
    policies: Text
    organisations: list[int]


def field_data(field: Field) -> dict:
    return {"id": field.pk, "slug": field.slug, "name": text(field, "name")}


def edition_data(edition: Edition) -> dict:
    return {
        "id": edition.pk,
        "number": edition.number,
        "year": edition.year,
        **{name: text(edition, name) for name in ("title", "theme", "slogan", "city", "venue")},
        "start_date": edition.start_date,
        "end_date": edition.end_date,
        "format": edition.format,
        "status": edition.status,
        "is_current": edition.is_current,
        "guest_of_honour": edition.guest_of_honour.code or "",
        "observers": [country.code for country in edition.observers],
        "guests": [
            {
                "country": guest.country.code,
                "role": guest.role,
                "intro": text(guest, "intro"),
                "order": guest.order,
            }
            for guest in edition.guests.all()
        ],
    }


def image_url(request, image) -> str | None:
    return request.build_absolute_uri(image.url) if image else None


def organisation_data(request, organisation: Organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": text(organisation, "name"),
        "description": text(organisation, "description"),
        "type": organisation.type,
        "country": organisation.country.code,
        "city": organisation.city,
        "website": organisation.website,
        "logo": image_url(request, organisation.logo),
        "fields": [field.pk for field in organisation.fields.all()],
    }


def delegation_data(delegation: Delegation) -> dict:
    return {
        "id": delegation.pk,
        "edition": delegation.edition.number,
        "kind": delegation.kind,
        "name": text(delegation, "name"),
        "country": delegation.country.code,
        "parent": delegation.parent_id,
        "policies": text(delegation, "policies"),
        "organisations": [organisation.pk for organisation in delegation.organisations.all()],
    }


@router.get("/fields", response=page_of(FieldOut), summary="Professional fields")
def field_list(request, cursor: str | None = None, page_size: int | None = None):
    return paginate(request, Field.objects.all(), field_data, cursor=cursor, page_size=page_size)


@router.get("/editions", response=page_of(EditionOut), summary="Editions of the conference")
def edition_list(request, cursor: str | None = None, page_size: int | None = None):
    return paginate(
        request,
        Edition.objects.prefetch_related("guests"),
        edition_data,
        cursor=cursor,
        page_size=page_size,
    )


@router.get(
    "/editions/{number}",
    response=EditionDetailOut,
    summary="An edition, by its number, with the figures of its report",
)
def edition_detail(request, number: int):
    edition = get_object_or_404(Edition.objects.prefetch_related("guests"), number=number)
    return {
        **edition_data(edition),
        "hosts": text(edition, "hosts"),
        "co_hosts": text(edition, "co_hosts"),
        "report": report.edition_report(edition),
    }


def _organisations():
    return Organisation.objects.verified().prefetch_related("fields")


@router.get("/organisations", response=page_of(OrganisationOut), summary="Verified organisations")
def organisation_list(
    request,
    country: str | None = None,
    type: str | None = None,
    field: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    organisations = _organisations()
    if country:
        organisations = organisations.filter(country=country.upper())
    if type:
        organisations = organisations.filter(type=type)
    if field:
        organisations = organisations.filter(fields__slug=field).distinct()
    if q:
        organisations = organisations.filter(bilingual_search(q, "name"))
    return paginate(
        request,
        organisations,
        lambda row: organisation_data(request, row),
        cursor=cursor,
        page_size=page_size,
    )


@router.get(
    "/organisations/{organisation_id}", response=OrganisationOut, summary="A verified organisation"
)
def organisation_detail(request, organisation_id: int):
    return organisation_data(request, get_object_or_404(_organisations(), pk=organisation_id))


def _delegations():
    # Only verified organisations are public, in a delegation's list as anywhere.
    return Delegation.objects.select_related("edition").prefetch_related(
        Prefetch("organisations", queryset=Organisation.objects.verified())
    )


@router.get("/delegations", response=page_of(DelegationOut), summary="Delegations")
def delegation_list(
    request,
    edition: int | None = None,
    country: str | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    delegations = _delegations()
    if edition:
        delegations = delegations.filter(edition__number=edition)
    if country:
        delegations = delegations.filter(country=country.upper())
    if kind:
        delegations = delegations.filter(kind=kind)
    return paginate(request, delegations, delegation_data, cursor=cursor, page_size=page_size)


@router.get("/delegations/{delegation_id}", response=DelegationOut, summary="A delegation")
def delegation_detail(request, delegation_id: int):
    return delegation_data(get_object_or_404(_delegations(), pk=delegation_id))


# --- The organisers' exports, with an organiser's token of the exports:read scope ----------


class ReportRowOut(Schema):
    figure: str
    label: Text
    item: str
    item_label: Text
    value: int | float | str | None


class ReportExportOut(Schema):
    edition: int
    rows: list[ReportRowOut]


@router.get(
    "/exports/report/{number}",
    response=ReportExportOut,
    auth=exports_auth(),
    summary="An edition's report, figure by figure as its CSV has it (organisers only)",
)
def report_export(request, number: int):
    """The rows of the report's CSV (a figure, or one item of a breakdown, and its value),
    each label in both languages."""
    edition = get_object_or_404(Edition, number=number)
    return {
        "edition": edition.number,
        "rows": report.bilingual_rows(report.edition_report(edition)),
    }


# The back office's other exports, each with the columns of its admin CSV (one declaration).
for _export in (
    back_office_exports.USERS,
    back_office_exports.FIELDS,
    back_office_exports.EDITIONS,
    back_office_exports.ORGANISATIONS,
    back_office_exports.MEMBERSHIPS,
    back_office_exports.DELEGATIONS,
    back_office_exports.DELEGATION_MEMBERS,
    back_office_exports.ATTENDANCE,
    back_office_exports.AUDIT_LOG,
    back_office_exports.CONSENTS,
):
    declared_export_endpoint(router, _export, prefix="")
