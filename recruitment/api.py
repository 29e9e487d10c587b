"""Online Recruitment's endpoints of the JSON API: job postings (published, open and of
verified employers, as on the job list) and delegations' open talent demands; with a personal
access token, a talent's own applications and an employer's postings and the applications to
them, which the employer may move along their states as on the posting's page."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from ninja import Header, Router, Schema
from ninja.errors import HttpError

from ciep.api_support import (
    Text,
    bad_input,
    declared_export_endpoint,
    export_endpoint,
    filtered,
    page_of,
    paginate,
    text,
    token_auth,
)
from ciep.bilingual import matching
from ciep.models import Organisation

from . import exports, services
from .models import Application, DemandAnswer, JobPosting, TalentDemand

router = Router(tags=["recruitment"])


class PostingOut(Schema):
    id: int
    edition: int
    organisation: int
    employer: Text
    title: Text
    description: Text
    field: int
    type: str
    city: str
    province: str
    remote: bool
    salary_min: int | None
    salary_max: int | None
    salary_period: str
    experience_years: int
    degree: int
    openings: int
    deadline: datetime.date
    work_permit: str
    r_visa_support: bool
    relocation_help: bool
    housing_help: bool
    languages: list[str]
    published_at: datetime.datetime | None


class DemandOut(Schema):
    id: int
    edition: int
    delegation: int
    title: Text
    description: Text
    offer: Text
    field: int
    number: int
    level: str
    status: str


def posting_data(posting: JobPosting) -> dict:
    return {
        "id": posting.pk,
        "edition": posting.edition.number,
        "organisation": posting.organisation_id,
        "employer": text(posting.organisation, "name"),
        "title": text(posting, "title"),
        "description": text(posting, "description"),
        "field": posting.field_id,
        "type": posting.type,
        "city": posting.city,
        "province": posting.province,
        "remote": posting.remote,
        "salary_min": posting.salary_min,
        "salary_max": posting.salary_max,
        "salary_period": posting.salary_period,
        "experience_years": posting.experience_years,
        "degree": posting.degree,
        "openings": posting.openings,
        "deadline": posting.deadline,
        "work_permit": posting.work_permit,
        "r_visa_support": posting.r_visa_support,
        "relocation_help": posting.relocation_help,
        "housing_help": posting.housing_help,
        "languages": [language.language for language in posting.languages.all()],
        "published_at": posting.published_at,
    }


def demand_data(demand: TalentDemand) -> dict:
    return {
        "id": demand.pk,
        "edition": demand.delegation.edition.number,
        "delegation": demand.delegation_id,
        "title": text(demand, "title"),
        "description": text(demand, "description"),
        "offer": text(demand, "offer"),
        "field": demand.field_id,
        "number": demand.number,
        "level": demand.level,
        "status": demand.status,
    }


def _postings():
    return (
        JobPosting.objects.public()
        .select_related("edition", "organisation")
        .prefetch_related("languages")
    )


@router.get("/postings", response=page_of(PostingOut), summary="Open job postings")
def posting_list(
    request,
    edition: int | None = None,
    field: str | None = None,
    country: str | None = None,
    type: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    postings = _postings()
    if edition:
        postings = postings.filter(edition__number=edition)
    if field:
        postings = postings.filter(field__slug=field)
    if country:
        postings = postings.filter(organisation__country=country.upper())
    if type:
        postings = postings.filter(type=type)
    if q:
        postings = postings.filter(
            matching(JobPosting, q, "title", "description")
            | matching(Organisation, q, "name", path="organisation")
        )
    return paginate(request, postings, posting_data, cursor=cursor, page_size=page_size)


@router.get("/postings/{posting_id}", response=PostingOut, summary="An open job posting")
def posting_detail(request, posting_id: int):
    return posting_data(get_object_or_404(_postings(), pk=posting_id))


def _demands():
    return TalentDemand.objects.open().select_related("delegation__edition")


@router.get("/demands", response=page_of(DemandOut), summary="Open talent demands of delegations")
def demand_list(
    request,
    edition: int | None = None,
    field: str | None = None,
    delegation: int | None = None,
    q: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    demands = _demands()
    if edition:
        demands = demands.filter(delegation__edition__number=edition)
    if field:
        demands = demands.filter(field__slug=field)
    if delegation:
        demands = demands.filter(delegation=delegation)
    if q:
        demands = demands.filter(
            Q(title_en__icontains=q)
            | Q(title_zh__icontains=q)
            | Q(description_en__icontains=q)
            | Q(description_zh__icontains=q)
        )
    return paginate(request, demands, demand_data, cursor=cursor, page_size=page_size)


@router.get("/demands/{demand_id}", response=DemandOut, summary="An open talent demand")
def demand_detail(request, demand_id: int):
    return demand_data(get_object_or_404(_demands(), pk=demand_id))


# --- A person's own data, with a personal access token --------------------------------------


class MyApplicationOut(Schema):
    id: int
    posting: int
    title: Text
    employer: Text
    state: str
    state_changed_at: datetime.datetime
    created_at: datetime.datetime


class MyPostingOut(PostingOut):
    status: str
    application_count: int


class ReceivedApplicationOut(Schema):
    id: int
    posting: int
    talent_name: str
    talent_email: str
    cover_letter: str
    state: str
    state_changed_at: datetime.datetime
    created_at: datetime.datetime


class StateIn(Schema):
    state: Application.State


# Where a refused move is said to be wrong: the body's state, as django-ninja names it.
STATE = ("body", "data", "state")


def my_application_data(application: Application) -> dict:
    return {
        "id": application.pk,
        "posting": application.posting_id,
        "title": text(application.posting, "title"),
        "employer": text(application.posting.organisation, "name"),
        "state": application.state,
        "state_changed_at": application.state_changed_at,
        "created_at": application.created_at,
    }


def received_application_data(application: Application) -> dict:
    return {
        "id": application.pk,
        "posting": application.posting_id,
        "talent_name": application.talent.user.name,
        "talent_email": application.talent.user.email,
        "cover_letter": application.cover_letter,
        "state": application.state,
        "state_changed_at": application.state_changed_at,
        "created_at": application.created_at,
    }


@router.get(
    "/me/applications",
    response=page_of(MyApplicationOut),
    auth=token_auth("recruitment:read"),
    summary="My job applications (as a talent)",
)
def my_application_list(request, cursor: str | None = None, page_size: int | None = None):
    applications = Application.objects.of_talent(request.auth.user).select_related(
        "posting__organisation"
    )
    return paginate(request, applications, my_application_data, cursor=cursor, page_size=page_size)


def _managed_postings(user):
    return (
        JobPosting.objects.managed_by(user)
        .select_related("edition", "organisation")
        .prefetch_related("languages")
        .annotate(application_count=Count("applications", distinct=True))
    )


@router.get(
    "/me/postings",
    response=page_of(MyPostingOut),
    auth=token_auth("recruitment:read"),
    summary="The postings of my organisations, drafts included",
)
def my_posting_list(request, cursor: str | None = None, page_size: int | None = None):
    return paginate(
        request,
        _managed_postings(request.auth.user),
        lambda posting: {
            **posting_data(posting),
            "status": posting.status,
            "application_count": posting.application_count,
        },
        cursor=cursor,
        page_size=page_size,
    )


def _received(user, posting_id: int):
    posting = get_object_or_404(JobPosting.objects.managed_by(user), pk=posting_id)
    return Application.objects.filter(posting=posting).select_related("talent__user")


@router.get(
    "/me/postings/{posting_id}/applications",
    response=page_of(ReceivedApplicationOut),
    auth=token_auth("recruitment:read"),
    summary="The applications to one of my organisations' postings",
)
def received_application_list(
    request, posting_id: int, cursor: str | None = None, page_size: int | None = None
):
    return paginate(
        request,
        _received(request.auth.user, posting_id),
        received_application_data,
        cursor=cursor,
        page_size=page_size,
    )


@router.post(
    "/me/postings/{posting_id}/applications/{application_id}/state",
    response=ReceivedApplicationOut,
    auth=token_auth("recruitment:write"),
    summary="Move an application to one of my organisations' postings to another state",
)
def received_application_move(
    request,
    posting_id: int,
    application_id: int,
    data: StateIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="Any string of yours (a UUID): a repeat with the same key runs once.",
    ),
):
    """The same transitions as the posting's page, through the same services."""
    user = request.auth.user
    application = get_object_or_404(_received(user, posting_id), pk=application_id)
    service = services.EMPLOYER_TRANSITION_SERVICES.get(data.state)
    if service is None:
        raise bad_input(*STATE, msg="An employer cannot move an application to this state.")
    try:
        moved = service(application=application, by=user)
    except PermissionDenied:
        raise HttpError(403, "Your role in the organisation cannot move applications.") from None
    except ValidationError as error:
        raise bad_input(*STATE, msg=" ".join(error.messages)) from None
    return received_application_data(moved)


class MyDemandOut(DemandOut):
    answer_count: int


class AnswerOut(Schema):
    id: int
    demand: int
    talent_name: str
    talent_email: str
    nationality: str
    headline: str
    message: str
    created_at: datetime.datetime


def _talent_columns(talent) -> dict:
    return {
        "talent_name": talent.user.name,
        "talent_email": talent.user.email,
        "nationality": talent.nationality.code or "",
        "headline": talent.headline,
    }


def answer_data(answer: DemandAnswer) -> dict:
    return {
        "id": answer.pk,
        "demand": answer.demand_id,
        **_talent_columns(answer.talent),
        "message": answer.message,
        "created_at": answer.created_at,
    }


@router.get(
    "/me/demands",
    response=page_of(MyDemandOut),
    auth=token_auth("recruitment:read"),
    summary="The talent demands of the delegations I am a member of, closed ones too",
)
def my_demand_list(
    request,
    delegation: int | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    demands = filtered(
        TalentDemand.objects.managed_by(request.auth.user)
        .select_related("delegation__edition")
        .annotate(answer_count=Count("answers", distinct=True)),
        delegation=delegation,
    )
    return paginate(
        request,
        demands,
        lambda demand: {**demand_data(demand), "answer_count": demand.answer_count},
        cursor=cursor,
        page_size=page_size,
    )


@router.get(
    "/me/demands/{demand_id}/answers",
    response=page_of(AnswerOut),
    auth=token_auth("recruitment:read"),
    summary="The talents' answers to a demand of a delegation I am a member of",
)
def my_demand_answer_list(
    request, demand_id: int, cursor: str | None = None, page_size: int | None = None
):
    """What the demand's answers page and its CSV show the delegation's members."""
    demand = get_object_or_404(TalentDemand.objects.managed_by(request.auth.user), pk=demand_id)
    answers = DemandAnswer.objects.filter(demand=demand).select_related("talent__user")
    return paginate(request, answers, answer_data, cursor=cursor, page_size=page_size)


# --- The organisers' exports, with an organiser's token of the exports:read scope ----------


class ApplicationExportOut(Schema):
    id: int
    posting: int
    posting_title: Text
    organisation: int
    employer: Text
    talent_name: str
    talent_email: str
    nationality: str
    headline: str
    state: str
    state_changed_at: datetime.datetime
    created_at: datetime.datetime


class DemandAnswerExportOut(AnswerOut):
    demand_title: Text
    delegation: int


@export_endpoint(
    router,
    "/exports/applications",
    item=ApplicationExportOut,
    summary="Every job application, as the back office exports them (organisers only)",
)
def application_export(
    request,
    edition: int | None = None,
    posting: int | None = None,
    state: Application.State | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    applications = filtered(
        Application.objects.select_related("posting__organisation", "talent__user"),
        posting__edition__number=edition,
        posting=posting,
        state=state,
    )
    return paginate(
        request,
        applications,
        lambda application: {
            "id": application.pk,
            "posting": application.posting_id,
            "posting_title": text(application.posting, "title"),
            "organisation": application.posting.organisation_id,
            "employer": text(application.posting.organisation, "name"),
            **_talent_columns(application.talent),
            "state": application.state,
            "state_changed_at": application.state_changed_at,
            "created_at": application.created_at,
        },
        cursor=cursor,
        page_size=page_size,
    )


@export_endpoint(
    router,
    "/exports/demand-answers",
    item=DemandAnswerExportOut,
    summary="Every answer to a delegation's talent demand, as the back office exports them "
    "(organisers only)",
)
def demand_answer_export(
    request,
    edition: int | None = None,
    demand: int | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    answers = filtered(
        DemandAnswer.objects.select_related("demand", "talent__user"),
        demand__delegation__edition__number=edition,
        demand=demand,
    )
    return paginate(
        request,
        answers,
        lambda answer: {
            **answer_data(answer),
            "demand_title": text(answer.demand, "title"),
            "delegation": answer.demand.delegation_id,
        },
        cursor=cursor,
        page_size=page_size,
    )


# The back office's other exports, each with the columns of its admin CSV (one declaration).
for _export in (
    exports.JOB_POSTINGS,
    exports.TALENTS,
    exports.TALENT_DEMANDS,
):
    declared_export_endpoint(router, _export, prefix="/recruitment")
