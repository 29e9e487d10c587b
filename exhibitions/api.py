"""The exhibition hall's endpoints of the JSON API: halls, their booths and the exhibitors,
public as on the catalogue and the floor plans (an exhibitor's contacts are public on its
booth page, so they are here); with a personal access token, the negotiation meetings a
person requested or that their exhibitors were asked for."""

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ciep.api_support import (
    Text,
    declared_export_endpoint,
    export_endpoint,
    filtered,
    page_of,
    paginate,
    text,
    token_auth,
)

from . import exports
from .models import Application, Booth, Exhibitor, Hall, Meeting

router = Router(tags=["exhibitions"])


class HallOut(Schema):
    id: int
    edition: int
    code: str
    name: Text
    area_m2: int
    plan_width: int
    plan_height: int


class BoothOut(Schema):
    id: int
    hall: int
    code: str
    kind: str
    size_m2: int
    x: int
    y: int
    width: int
    depth: int
    state: str
    exhibitor: int | None
    delegation: int | None


class ExhibitorOut(Schema):
    id: int
    edition: int
    organisation: int
    name: Text
    description: Text
    country: str
    booth: int | None
    pavilion: int | None
    delegation: int | None
    fields: list[int]
    logo: str | None
    video_url: str
    contact_name: str
    contact_email: str
    contact_phone: str


def hall_data(hall: Hall) -> dict:
    return {
        "id": hall.pk,
        "edition": hall.edition.number,
        "code": hall.code,
        "name": text(hall, "name"),
        "area_m2": hall.area_m2,
        "plan_width": hall.plan_width,
        "plan_height": hall.plan_height,
    }


def booth_data(booth: Booth) -> dict:
    return {
        "id": booth.pk,
        "hall": booth.hall_id,
        "code": booth.code,
        "kind": booth.kind,
        "size_m2": booth.size_m2,
        "x": booth.x,
        "y": booth.y,
        "width": booth.width,
        "depth": booth.depth,
        "state": booth.state,
        "exhibitor": booth.exhibitor_id,
        "delegation": booth.delegation_id,
    }


def exhibitor_data(request, exhibitor: Exhibitor) -> dict:
    try:
        booth = exhibitor.booth.pk
    except Booth.DoesNotExist:
        booth = None
    return {
        "id": exhibitor.pk,
        "edition": exhibitor.edition.number,
        "organisation": exhibitor.organisation_id,
        "name": text(exhibitor.organisation, "name"),
        "description": text(exhibitor, "description"),
        "country": exhibitor.organisation.country.code,
        "booth": booth,
        "pavilion": exhibitor.pavilion_id,
        "delegation": exhibitor.delegation_id,
        "fields": [field.pk for field in exhibitor.fields.all()],
        "logo": request.build_absolute_uri(exhibitor.logo.url) if exhibitor.logo else None,
        "video_url": exhibitor.video_url,
        "contact_name": exhibitor.contact_name,
        "contact_email": exhibitor.contact_email,
        "contact_phone": exhibitor.contact_phone,
    }


@router.get("/halls", response=page_of(HallOut), summary="Exhibition halls")
def hall_list(
    request, edition: int | None = None, cursor: str | None = None, page_size: int | None = None
):
    halls = Hall.objects.select_related("edition")
    if edition:
        halls = halls.filter(edition__number=edition)
    return paginate(request, halls, hall_data, cursor=cursor, page_size=page_size)


@router.get("/halls/{hall_id}", response=HallOut, summary="An exhibition hall")
def hall_detail(request, hall_id: int):
    return hall_data(get_object_or_404(Hall.objects.select_related("edition"), pk=hall_id))


@router.get("/booths", response=page_of(BoothOut), summary="Booths of the halls")
def booth_list(
    request,
    edition: int | None = None,
    hall: int | None = None,
    state: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    booths = Booth.objects.all()
    if edition:
        booths = booths.filter(hall__edition__number=edition)
    if hall:
        booths = booths.filter(hall=hall)
    if state:
        booths = booths.filter(state=state)
    return paginate(request, booths, booth_data, cursor=cursor, page_size=page_size)


def _exhibitors():
    return Exhibitor.objects.select_related("edition", "organisation", "booth").prefetch_related(
        "fields"
    )


@router.get("/exhibitors", response=page_of(ExhibitorOut), summary="Exhibitors")
def exhibitor_list(
    request,
    edition: int | None = None,
    field: str | None = None,
    country: str | None = None,
    hall: int | None = None,
    q: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    exhibitors = _exhibitors()
    if edition:
        exhibitors = exhibitors.filter(edition__number=edition)
    if field:
        exhibitors = exhibitors.filter(fields__slug=field).distinct()
    if country:
        exhibitors = exhibitors.filter(organisation__country=country.upper())
    if hall:
        exhibitors = exhibitors.filter(Q(booth__hall=hall) | Q(pavilion__hall=hall))
    if q:
        exhibitors = exhibitors.search(q)
    return paginate(
        request,
        exhibitors,
        lambda row: exhibitor_data(request, row),
        cursor=cursor,
        page_size=page_size,
    )


@router.get("/exhibitors/{exhibitor_id}", response=ExhibitorOut, summary="An exhibitor")
def exhibitor_detail(request, exhibitor_id: int):
    return exhibitor_data(request, get_object_or_404(_exhibitors(), pk=exhibitor_id))


class MeetingOut(Schema):
    id: int
    exhibitor: int
    exhibitor_name: Text
    slot: int
    requested_by_me: bool
    requester_name: str
    requester_email: str
    languages: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    mode: str
    message: str
    state: str
    outcome: str
    note: str


@router.get(
    "/me/meetings",
    response=page_of(MeetingOut),
    auth=token_auth("exhibitions:read"),
    summary="Negotiation meetings I requested or my exhibitors were asked for: an exhibitor's "
    "leads, with the outcome its staff recorded",
)
def my_meeting_list(
    request,
    exhibitor: int | None = None,
    state: Meeting.State | None = None,
    outcome: Meeting.Outcome | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    """The requester's contacts are those the exhibitor's meetings page and its CSV give the
    exhibitor's staff."""
    user = request.auth.user
    meetings = filtered(
        Meeting.objects.involving(user).select_related(
            "slot__exhibitor__organisation", "requester"
        ),
        slot__exhibitor=exhibitor,
        state=state,
        outcome=outcome,
    )
    return paginate(
        request,
        meetings,
        lambda meeting: {
            "id": meeting.pk,
            "exhibitor": meeting.slot.exhibitor_id,
            "exhibitor_name": text(meeting.slot.exhibitor.organisation, "name"),
            "slot": meeting.slot_id,
            "requested_by_me": meeting.requester_id == user.pk,
            "requester_name": meeting.requester.name,
            "requester_email": meeting.requester.email,
            "languages": meeting.languages,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "mode": meeting.slot.mode,
            "message": meeting.message,
            "state": meeting.state,
            "outcome": meeting.outcome,
            "note": meeting.note,
        },
        cursor=cursor,
        page_size=page_size,
    )


# --- The organisers' exports, with an organiser's token of the exports:read scope ----------


class ExhibitorExportOut(Schema):
    id: int
    edition: int
    organisation: int
    name: Text
    country: str
    type: str
    booth: str
    hall: str
    contact_name: str
    contact_email: str
    contact_phone: str
    page_views: int


class MeetingExportOut(Schema):
    id: int
    exhibitor: int
    exhibitor_name: Text
    requester_name: str
    requester_email: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    mode: str
    state: str
    outcome: str
    languages: str
    interpreter_requested: bool
    message: str
    note: str


def exhibitor_export_data(exhibitor: Exhibitor) -> dict:
    location = exhibitor.location
    organisation = exhibitor.organisation
    return {
        "id": exhibitor.pk,
        "edition": exhibitor.edition.number,
        "organisation": organisation.pk,
        "name": text(organisation, "name"),
        "country": organisation.country.code or "",
        "type": organisation.type,
        "booth": location.code if location else "",
        "hall": location.hall.code if location else "",
        "contact_name": exhibitor.contact_name,
        "contact_email": exhibitor.contact_email,
        "contact_phone": exhibitor.contact_phone,
        "page_views": exhibitor.page_views,
    }


@export_endpoint(
    router,
    "/exports/exhibitors",
    item=ExhibitorExportOut,
    summary="Every exhibitor with its contacts, as the back office exports them (organisers only)",
)
def exhibitor_export(
    request,
    edition: int | None = None,
    hall: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    exhibitors = Exhibitor.objects.select_related(
        "edition", "organisation", "booth__hall", "pavilion__hall"
    )
    exhibitors = filtered(exhibitors, edition__number=edition)
    if hall:
        exhibitors = exhibitors.filter(Q(booth__hall__code=hall) | Q(pavilion__hall__code=hall))
    return paginate(request, exhibitors, exhibitor_export_data, cursor=cursor, page_size=page_size)


@export_endpoint(
    router,
    "/exports/meetings",
    item=MeetingExportOut,
    summary="Every negotiation meeting, as the back office exports them (organisers only)",
)
def meeting_export(
    request,
    edition: int | None = None,
    state: Meeting.State | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    meetings = filtered(
        Meeting.objects.select_related("slot__exhibitor__organisation", "requester"),
        slot__exhibitor__edition__number=edition,
        state=state,
    )
    return paginate(
        request,
        meetings,
        lambda meeting: {
            "id": meeting.pk,
            "exhibitor": meeting.slot.exhibitor_id,
            "exhibitor_name": text(meeting.slot.exhibitor.organisation, "name"),
            "requester_name": meeting.requester.name,
            "requester_email": meeting.requester.email,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "mode": meeting.slot.mode,
            "state": meeting.state,
            "outcome": meeting.outcome,
            "languages": meeting.languages,
            "interpreter_requested": meeting.interpreter_requested,
            "message": meeting.message,
            "note": meeting.note,
        },
        cursor=cursor,
        page_size=page_size,
    )


class BoothApplicationExportOut(Schema):
    id: int
    edition: int
    organisation: int | None
    organisation_name: Text
    country: str
    delegation: int | None
    hall: str
    booth_kind: str
    size_m2: int
    booth: str
    fields: list[int]
    description: Text
    state: str
    decision_note: str
    created_at: datetime.datetime


@export_endpoint(
    router,
    "/exports/booth-applications",
    item=BoothApplicationExportOut,
    summary="Every application for a booth or a pavilion, as the back office exports them "
    "(organisers only)",
)
def booth_application_export(
    request,
    edition: int | None = None,
    state: Application.State | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    applications = filtered(
        Application.objects.select_related(
            "edition", "organisation", "hall", "booth"
        ).prefetch_related("fields"),
        edition__number=edition,
        state=state,
    )

    def row(application: Application) -> dict:
        organisation = application.organisation
        return {
            "id": application.pk,
            "edition": application.edition.number,
            "organisation": application.organisation_id,
            "organisation_name": text(organisation, "name")
            if organisation
            else {"en": "", "zh": ""},
            "country": organisation.country.code if organisation else "",
            "delegation": application.delegation_id,
            "hall": application.hall.code if application.hall else "",
            "booth_kind": application.booth_kind,
            "size_m2": application.size_m2,
            "booth": application.booth.code if application.booth else "",
            "fields": [field.pk for field in application.fields.all()],
            "description": text(application, "description"),
            "state": application.state,
            "decision_note": application.decision_note,
            "created_at": application.created_at,
        }

    return paginate(request, applications, row, cursor=cursor, page_size=page_size)


# The back office's other exports, each with the columns of its admin CSV (one declaration).
for _export in (
    exports.HALLS,
    exports.BOOTHS,
    exports.NEGOTIATION_SLOTS,
):
    declared_export_endpoint(router, _export, prefix="/exhibitions")
