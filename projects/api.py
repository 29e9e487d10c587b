"""Project Cooperation's endpoints of the JSON API: published projects (those the public list
shows, not hidden by organisers), delegations' project demands among them. Contact persons
are shown to signed-in readers only, so they are not here. With a personal access token, a
delegation's members read its cooperation intentions and its project demands in any state."""

import datetime

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
from ciep.models import Delegation

from . import exports
from .models import Intention, Project
from .selectors import project_catalogue

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    edition: int
    kind: str
    is_demand: bool
    organisation: int | None
    delegation: int | None
    owner_name: str
    title: Text
    summary: Text
    offers: Text
    fields: list[int]
    cooperation_types: list[str]
    stage: str
    country_sought: str
    region_sought: str
    amount_band: str
    published_at: datetime.datetime | None


def project_data(project: Project) -> dict:
    return {
        "id": project.pk,
        "edition": project.edition.number,
        "kind": project.kind,
        "is_demand": project.is_demand,
        "organisation": project.organisation_id,
        "delegation": project.delegation_id,
        "owner_name": project.owner_name,
        "title": text(project, "title"),
        "summary": text(project, "summary"),
        "offers": text(project, "offers"),
        "fields": [field.pk for field in project.fields.all()],
        "cooperation_types": [row.type for row in project.cooperation_types.all()],
        "stage": project.stage,
        "country_sought": project.country_sought.code or "",
        "region_sought": project.region_sought,
        "amount_band": project.amount_band,
        "published_at": project.published_at,
    }


def _projects():
    return (
        project_catalogue()
        .select_related("edition", "organisation", "delegation", "expert")
        .prefetch_related("fields", "cooperation_types")
    )


def _filtered(projects, *, edition, field, country, q):
    if edition:
        projects = projects.filter(edition__number=edition)
    if field:
        projects = projects.filter(fields__slug=field).distinct()
    if country:
        projects = projects.filter(country_sought=country.upper())
    if q:
        projects = projects.search(q)
    return projects


@router.get("/projects", response=page_of(ProjectOut), summary="Published projects")
def project_list(
    request,
    edition: int | None = None,
    field: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    projects = _filtered(_projects(), edition=edition, field=field, country=country, q=q)
    if kind:
        projects = projects.filter(kind=kind)
    return paginate(request, projects, project_data, cursor=cursor, page_size=page_size)


@router.get("/projects/{project_id}", response=ProjectOut, summary="A published project")
def project_detail(request, project_id: int):
    return project_data(get_object_or_404(_projects(), pk=project_id))


@router.get(
    "/demands", response=page_of(ProjectOut), summary="Delegations' published project demands"
)
def demand_list(
    request,
    edition: int | None = None,
    field: str | None = None,
    country: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    demands = _filtered(_projects().demands(), edition=edition, field=field, country=country, q=q)
    return paginate(request, demands, project_data, cursor=cursor, page_size=page_size)


class MyDemandOut(ProjectOut):
    state: str


class IntentionOut(Schema):
    id: int
    edition: int
    delegation: int | None
    organisation: int | None
    project: int | None
    counterpart_organisation: int | None
    counterpart_delegation: int | None
    counterpart_name: str
    description: Text
    cooperation_type: str
    amount_band: str
    state: str
    signed_on: datetime.date | None
    fields: list[int]
    created_at: datetime.datetime


def _intentions():
    return Intention.objects.select_related(
        "edition",
        "organisation",
        "delegation",
        "counterpart_organisation",
        "counterpart_delegation",
        "counterpart_expert",
    ).prefetch_related("fields")


def intention_data(intention: Intention) -> dict:
    return {
        "id": intention.pk,
        "edition": intention.edition.number,
        "delegation": intention.delegation_id,
        "organisation": intention.organisation_id,
        "project": intention.project_id,
        "counterpart_organisation": intention.counterpart_organisation_id,
        "counterpart_delegation": intention.counterpart_delegation_id,
        "counterpart_name": intention.counterpart_name,
        "description": text(intention, "description"),
        "cooperation_type": intention.cooperation_type,
        "amount_band": intention.amount_band,
        "state": intention.state,
        "signed_on": intention.signed_on,
        "fields": [field.pk for field in intention.fields.all()],
        "created_at": intention.created_at,
    }


def _my_delegation(request, delegation_id: int) -> Delegation:
    return get_object_or_404(Delegation.objects.of_member(request.auth.user), pk=delegation_id)


@router.get(
    "/me/delegations/{delegation_id}/intentions",
    response=page_of(IntentionOut),
    auth=token_auth("projects:read"),
    summary="The cooperation intentions of a delegation I am a member of",
)
def delegation_intention_list(
    request, delegation_id: int, cursor: str | None = None, page_size: int | None = None
):
    delegation = _my_delegation(request, delegation_id)
    intentions = _intentions().of_delegation(delegation)
    return paginate(request, intentions, intention_data, cursor=cursor, page_size=page_size)


@router.get(
    "/me/delegations/{delegation_id}/demands",
    response=page_of(MyDemandOut),
    auth=token_auth("projects:read"),
    summary="The project demands of a delegation I am a member of, in any state",
)
def delegation_demand_list(
    request, delegation_id: int, cursor: str | None = None, page_size: int | None = None
):
    delegation = _my_delegation(request, delegation_id)
    demands = (
        Project.objects.filter(delegation=delegation)
        .demands()
        .select_related("edition", "organisation", "delegation", "expert")
        .prefetch_related("fields", "cooperation_types")
    )
    return paginate(
        request,
        demands,
        lambda project: {**project_data(project), "state": project.state},
        cursor=cursor,
        page_size=page_size,
    )


# --- The organisers' exports, with an organiser's token of the exports:read scope ----------


class IntentionExportOut(IntentionOut):
    counterpart_expert: int | None
    counterpart_team: str
    signed_place: Text
    state_changed_at: datetime.datetime | None


@export_endpoint(
    router,
    "/exports/intentions",
    item=IntentionExportOut,
    summary="Every cooperation intention, as the back office exports them (organisers only)",
)
def intention_export(
    request,
    edition: int | None = None,
    delegation: int | None = None,
    state: Intention.State | None = None,
    cursor: str | None = None,
    page_size: int | None = None,
):
    intentions = filtered(
        _intentions(), edition__number=edition, delegation=delegation, state=state
    )
    return paginate(
        request,
        intentions,
        lambda intention: {
            **intention_data(intention),
            "counterpart_expert": intention.counterpart_expert_id,
            "counterpart_team": intention.counterpart_team,
            "signed_place": text(intention, "signed_place"),
            "state_changed_at": intention.state_changed_at,
        },
        cursor=cursor,
        page_size=page_size,
    )


# The back office's other exports, each with the columns of its admin CSV (one declaration).
for _export in (
    exports.PROJECTS,
    exports.PROGRESS_REPORTS,
    exports.FOLLOW_UP_REMINDERS,
    exports.COMPETITIONS,
    exports.COMPETITION_ENTRIES,
):
    declared_export_endpoint(router, _export, prefix="/projects")
