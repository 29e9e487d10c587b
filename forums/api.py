"""The forum's endpoints of the JSON API: programme sections, sessions (cancelled ones too,
marked as the programme marks them) with their venue and speakers, and speakers; with a
personal access token, a person's own registrations."""

import datetime

from django.db.models import Prefetch
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
from ciep.bilingual import bilingual_search

from . import exports
from .models import Registration, Section, Session, SessionSpeaker, Speaker

router = Router(tags=["forums"])


class SectionOut(Schema):
    id: int
    edition: int
    name: Text
    order: int


class VenueOut(Schema):
    id: int
    kind: str
    name: Text
    city: Text
    time_zone: str
    address: str


class SessionSpeakerOut(Schema):
    speaker: int
    role: str


class SessionOut(Schema):
    id: int
    edition: int
    section: int
    kind: str
    title: Text
    abstract: Text
    start: datetime.datetime
    end: datetime.datetime
    venue: VenueOut | None
    format: str
    language: str
    capacity: int | None
    status: str
    fields: list[int]
    organising_organisation: int | None
    organising_delegation: int | None
    speakers: list[SessionSpeakerOut]
    stream_url: str
    replay_url: str


class SpeakerOut(Schema):
    id: int
    name: Text
    title: Text
    affiliation: Text
    biography: Text
    country: str
    photo: str | None


def section_data(section: Section) -> dict:
    return {
        "id": section.pk,
        "edition": section.edition.number,
        "name": text(section, "name"),
        "order": section.order,
    }


def session_data(session: Session) -> dict:
    venue = session.venue
    return {
        "id": session.pk,
        "edition": session.edition.number,
        "section": session.section_id,
        "kind": session.kind,
        "title": text(session, "title"),
        "abstract": text(session, "abstract"),
        "start": session.start,
        "end": session.end,
        "venue": venue
        and {
            "id": venue.pk,
            "kind": venue.kind,
            "name": text(venue, "name"),
            "city": text(venue, "city"),
            "time_zone": venue.time_zone,
            "address": venue.address,
        },
        "format": session.format,
        "language": session.language,
        "capacity": session.capacity,
        "status": session.status,
        "fields": [field.pk for field in session.fields.all()],
        "organising_organisation": session.organising_organisation_id,
        "organising_delegation": session.organising_delegation_id,
        "speakers": [
            {"speaker": role.speaker_id, "role": role.role} for role in session.speaker_roles.all()
        ],
        "stream_url": session.stream_url,
        "replay_url": session.replay_url,
    }


def speaker_data(request, speaker: Speaker) -> dict:
    return {
        "id": speaker.pk,
        **{name: text(speaker, name) for name in ("name", "title", "affiliation", "biography")},
        "country": speaker.country.code or "",
        "photo": request.build_absolute_uri(speaker.photo.url) if speaker.photo else None,
    }


@router.get("/sections", response=page_of(SectionOut), summary="Sections of the programme")
def section_list(
    request, edition: int | None = None, cursor: str | None = None, page_size: int | None = None
):
    sections = Section.objects.select_related("edition")
    if edition:
        sections = sections.filter(edition__number=edition)
    return paginate(request, sections, section_data, cursor=cursor, page_size=page_size)


def _sessions():
    return Session.objects.select_related("edition", "venue").prefetch_related(
        "fields",
        Prefetch("speaker_roles", queryset=SessionSpeaker.objects.order_by("order", "id")),
    )


@router.get("/sessions", response=page_of(SessionOut), summary="Sessions of the programme")
def session_list(
    request,
    edition: int | None = None,
    section: int | None = None,
    field: str | None = None,
    day: datetime.date | None = None,
    q: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    sessions = _sessions()
    if edition:
        sessions = sessions.filter(edition__number=edition)
    if section:
        sessions = sessions.filter(section=section)
    if field:
        sessions = sessions.filter(fields__slug=field).distinct()
    if day:
        sessions = sessions.filter(start__date=day)
    if q:
        sessions = sessions.search(q)
    return paginate(request, sessions, session_data, cursor=cursor, page_size=page_size)


@router.get("/sessions/{session_id}", response=SessionOut, summary="A session")
def session_detail(request, session_id: int):
    return session_data(get_object_or_404(_sessions(), pk=session_id))


@router.get("/speakers", response=page_of(SpeakerOut), summary="Speakers")
def speaker_list(
    request,
    edition: int | None = None,
    q: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    speakers = Speaker.objects.all()
    if edition:
        speakers = speakers.filter(sessions__edition__number=edition).distinct()
    if q:
        speakers = speakers.filter(bilingual_search(q, "name", "affiliation"))
    return paginate(
        request,
        speakers,
        lambda row: speaker_data(request, row),
        cursor=cursor,
        page_size=page_size,
    )


@router.get("/speakers/{speaker_id}", response=SpeakerOut, summary="A speaker")
def speaker_detail(request, speaker_id: int):
    return speaker_data(request, get_object_or_404(Speaker, pk=speaker_id))


class RegistrationOut(Schema):
    id: int
    session: int
    title: Text
    start: datetime.datetime
    end: datetime.datetime
    attendance: str
    status: str
    created_at: datetime.datetime


@router.get(
    "/me/registrations",
    response=page_of(RegistrationOut),
    auth=token_auth("forums:read"),
    summary="My registrations for sessions, cancelled ones too",
)
def my_registration_list(request, cursor: str | None = None, page_size: int | None = None):
    registrations = Registration.objects.of_user(request.auth.user).select_related("session")
    return paginate(
        request,
        registrations,
        lambda registration: {
            "id": registration.pk,
            "session": registration.session_id,
            "title": text(registration.session, "title"),
            "start": registration.session.start,
            "end": registration.session.end,
            "attendance": registration.attendance,
            "status": registration.status,
            "created_at": registration.created_at,
        },
        cursor=cursor,
        page_size=page_size,
    )


# --- The organisers' exports, with an organiser's token of the exports:read scope ----------


class RegistrationExportOut(Schema):
    id: int
    session: int
    session_title: Text
    user_name: str
    user_email: str
    attendance: str
    status: str
    delegation: int | None
    code: str
    created_at: datetime.datetime
    promoted_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None


@export_endpoint(
    router,
    "/exports/registrations",
    item=RegistrationExportOut,
    summary="Every registration, as the back office exports them (organisers only)",
)
def registration_export(
    request,
    edition: int | None = None,
    session: int | None = None,
    status: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    registrations = filtered(
        Registration.objects.select_related("session", "user"),
        session__edition__number=edition,
        session=session,
        status=status,
    )
    return paginate(
        request,
        registrations,
        lambda registration: {
            "id": registration.pk,
            "session": registration.session_id,
            "session_title": text(registration.session, "title"),
            "user_name": registration.user.name,
            "user_email": registration.user.email,
            "attendance": registration.attendance,
            "status": registration.status,
            "delegation": registration.delegation_id,
            "code": registration.code,
            "created_at": registration.created_at,
            "promoted_at": registration.promoted_at,
            "checked_in_at": registration.checked_in_at,
        },
        cursor=cursor,
        page_size=page_size,
    )


# The back office's other exports, each with the columns of its admin CSV (one declaration).
for _export in (
    exports.FEEDBACK,
    exports.SUB_VENUE_EVENTS,
):
    declared_export_endpoint(router, _export, prefix="/forums")
