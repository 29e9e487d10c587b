from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ciep.caching import rendered_fragments
from ciep.exports import csv_response, in_chunks
from ciep.forms import add_service_errors, service_error_messages
from ciep.idempotency import created, once_per_token
from ciep.import_pages import delegation_import_pages, import_views
from ciep.models import Delegation, Edition, Organisation
from ciep.params import as_id
from ciep.permissions import is_organiser
from ciep.selectors import current_edition
from ciep.storage import private_file_response

from . import selectors, services
from .filters import ProjectFilter
from .forms import (
    CompetitionEntryForm,
    HideForm,
    IntentionForm,
    NoteForm,
    ProgressReportForm,
    ProjectForm,
    QuickIntentionForm,
    SignForm,
    party_choices,
    resolve_party,
)
from .imports import ProjectDemandImport
from .models import Competition, CooperationType, Intention, Project
from .permissions import (
    can_edit_project,
    can_see_intention,
    intention_sides,
    is_delegation_member,
)

PAGE_SIZE = 20


def _edition_or_404() -> Edition:
    edition = current_edition()
    if edition is None:
        raise Http404
    return edition


# --- Projects -------------------------------------------------------------------------------


def project_list(request):
    filterset = ProjectFilter(request.GET or None, queryset=selectors.project_catalogue())
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "projects": page_obj.object_list,
            "cards": rendered_fragments(
                "projects/includes/project_card.html",
                page_obj.object_list,
                "projects",
                name="project",
                prefetch=selectors.CARD_PREFETCH,
            ),
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


def project_detail(request, pk: int):
    project = get_object_or_404(selectors.project_detail_queryset(request.user), pk=pk)
    owner = can_edit_project(request.user, project)
    context = {
        "project": project,
        "is_owner": owner,
        "is_organiser": is_organiser(request.user),
        "entries": project.competition_entries.select_related("competition"),
    }
    if owner:
        context["responses"] = selectors.project_responses(project)
        context["entry_form"] = CompetitionEntryForm(project=project)
    if context["is_organiser"]:
        context["hide_form"] = HideForm()
    if (
        request.user.is_authenticated
        and project.is_public
        and party_choices(request.user, project.edition)
    ):
        context["intention_url"] = True
    return render(request, "projects/project_detail.html", context)


def _add_attachment(form, project, user) -> None:
    if form.cleaned_data.get("attachment"):
        services.project_document_add(
            project=project,
            by=user,
            file=form.cleaned_data["attachment"],
            title_en=form.cleaned_data.get("attachment_title", ""),
        )


@login_required
@require_POST
def project_document_remove(request, pk: int, document_pk: int):
    project = get_object_or_404(Project.objects.owned_by(request.user), pk=pk)
    document = get_object_or_404(project.documents, pk=document_pk)
    try:
        services.project_document_remove(document=document, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The attachment has been removed."))
    return redirect(project)


@login_required
@once_per_token
def project_create(request):
    edition = _edition_or_404()
    form = ProjectForm(
        request.POST or None, request.FILES or None, user=request.user, edition=edition
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                project = services.project_create(
                    by=request.user,
                    edition=edition,
                    fields=form.cleaned_data["fields"],
                    cooperation_types=form.cleaned_data["cooperation_types"],
                    owner_country=form.cleaned_data.get("owner_country") or "",
                    **form.owner_kwargs(request.user),
                    **form.attributes(),
                )
                _add_attachment(form, project, request.user)
                created(request, project)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("owner", str(error))
        else:
            messages.success(
                request, _("Your project has been saved as a draft. Publish it when it is ready.")
            )
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "creating": True})


@login_required
@once_per_token
def project_edit(request, pk: int):
    project = get_object_or_404(Project.objects.owned_by(request.user), pk=pk)
    if not can_edit_project(request.user, project):
        raise Http404
    form = ProjectForm(
        request.POST or None,
        request.FILES or None,
        instance=project,
        user=request.user,
        edition=project.edition,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.project_update(
                    project=project,
                    by=request.user,
                    fields=form.cleaned_data["fields"],
                    cooperation_types=form.cleaned_data["cooperation_types"],
                    **form.attributes(),
                )
                _add_attachment(form, project, request.user)
                created(request, project)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_action(request, pk: int, action: str):
    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    done = {
        "publish": _("The project is published."),
        "close": _("The project is closed."),
        "hide": _("The project is hidden from the public."),
        "unhide": _("The project is visible again."),
        "enter": _("The project has been entered in the competition."),
    }
    if action not in done:
        raise Http404
    try:
        if action == "publish":
            services.project_publish(project=project, by=request.user)
        elif action == "close":
            services.project_close(project=project, by=request.user)
        elif action == "hide":
            form = HideForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.project_hide(project=project, by=request.user, reason=reason)
        elif action == "unhide":
            services.project_unhide(project=project, by=request.user)
        else:
            form = CompetitionEntryForm(request.POST, project=project)
            if not form.is_valid():
                raise ValidationError(_("Choose a competition that is open for entries."))
            services.competition_enter(
                competition=form.cleaned_data["competition"], project=project, by=request.user
            )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, done[action])
    return redirect(project)


@login_required
def my_projects(request):
    user = request.user
    return render(
        request,
        "projects/project_mine.html",
        {
            "projects": selectors.projects_of(user),
            "intentions": selectors.intentions_visible_to(user)
            if not is_organiser(user)
            else selectors.intention_rows(Intention.objects.visible_to(user))[:50],
            "delegations": Delegation.objects.of_member(user).select_related("edition"),
        },
    )


# --- Intentions -----------------------------------------------------------------------------


@login_required
@once_per_token
def intention_create(request):
    edition = _edition_or_404()
    project = None
    project_pk = request.GET.get("project") or request.POST.get("project")
    if project_pk:
        project = get_object_or_404(
            Project.objects.published().prefetch_related("fields", "cooperation_types"),
            pk=as_id(project_pk) or 0,
        )
    if not party_choices(request.user, edition):
        messages.error(
            request,
            _(
                "Intentions are submitted for a delegation of the current edition or for an "
                "organisation you belong to."
            ),
        )
        return redirect(project or "projects:project_list")
    form = IntentionForm(request.POST or None, user=request.user, edition=edition, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            intention = services.intention_submit(
                by=request.user, edition=edition, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            created(request, intention)
            messages.success(
                request, _("Your intention has been submitted. The counterpart has been notified.")
            )
            return redirect(intention)
    return render(request, "projects/intention_form.html", {"form": form, "project": project})


@login_required
def intention_detail(request, pk: int):
    intention = get_object_or_404(selectors.intentions_visible_to(request.user), pk=pk)
    sides = intention_sides(request.user, intention)
    transitions = services.allowed_transitions(intention, request.user)
    return render(
        request,
        "projects/intention_detail.html",
        {
            "intention": intention,
            "sides": sides,
            "transitions": [t for t in transitions if t != Intention.State.SIGNED],
            "can_sign": Intention.State.SIGNED in transitions,
            "sign_form": SignForm(),
            "note_form": NoteForm(),
            "report_form": ProgressReportForm() if sides and intention.is_agreement else None,
            "events": intention.events.select_related("by"),
            "reports": intention.progress_reports.select_related("submitted_by"),
        },
    )


@login_required
def intention_agreement(request, pk: int):
    """The signed agreement: for the parties and the organisers, never a public file."""
    intention = get_object_or_404(selectors.intentions_visible_to(request.user), pk=pk)
    if not can_see_intention(request.user, intention):
        raise Http404
    return private_file_response(
        intention.signed_document, filename=f"agreement-{intention.pk}.pdf"
    )


TRANSITION_SERVICES = {
    Intention.State.CONFIRMED: services.intention_confirm,
    Intention.State.DECLINED: services.intention_decline,
    Intention.State.WITHDRAWN: services.intention_withdraw,
    Intention.State.NEGOTIATING: services.intention_negotiate,
    Intention.State.IMPLEMENTING: services.intention_start_implementation,
    Intention.State.COMPLETED: services.intention_complete,
    Intention.State.LAPSED: services.intention_lapse,
}
WITH_REASON = {Intention.State.DECLINED, Intention.State.WITHDRAWN, Intention.State.LAPSED}


@login_required
@require_POST
def intention_transition(request, pk: int, state: str):
    intention = get_object_or_404(Intention.objects.visible_to(request.user), pk=pk)
    if state not in TRANSITION_SERVICES:
        raise Http404
    kwargs = {}
    if state in WITH_REASON:
        form = NoteForm(request.POST)
        kwargs["reason"] = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        TRANSITION_SERVICES[state](intention=intention, by=request.user, **kwargs)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(
            request,
            _("The intention is now “%(state)s”.") % {"state": Intention.State(state).label},
        )
    return redirect(intention)


@login_required
def intention_sign(request, pk: int):
    intention = get_object_or_404(selectors.intentions_visible_to(request.user), pk=pk)
    form = SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.intention_sign(
                intention=intention,
                by=request.user,
                signed_on=data["signed_on"],
                place_en=data["place_en"],
                place_zh=data["place_zh"],
                document=data["document"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The signed agreement has been recorded."))
            return redirect(intention)
    return render(request, "projects/intention_sign.html", {"intention": intention, "form": form})


@login_required
@require_POST
def intention_publication(request, pk: int):
    intention = get_object_or_404(Intention.objects.visible_to(request.user), pk=pk)
    publish = request.POST.get("publish") == "1"
    try:
        services.intention_set_publication(intention=intention, by=request.user, publish=publish)
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        _("Your side agrees to publish the agreement.")
        if publish
        else _("Your side keeps the agreement private."),
    )
    return redirect(intention)


@login_required
@require_POST
@once_per_token
def intention_report(request, pk: int):
    intention = get_object_or_404(Intention.objects.visible_to(request.user), pk=pk)
    form = ProgressReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.progress_report_add(
                intention=intention,
                by=request.user,
                text=form.cleaned_data["text"],
                milestone=form.cleaned_data["milestone"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            service_error_messages(request, error)
        else:
            created(request, report)
            messages.success(
                request, _("Thank you: the progress report is kept with the agreement.")
            )
    else:
        messages.error(request, _("Describe the progress."))
    return redirect(intention)


# --- Delegations ----------------------------------------------------------------------------


def _delegation_for_member(request, pk: int) -> Delegation:
    delegation = get_object_or_404(Delegation.objects.select_related("edition"), pk=pk)
    if not (is_delegation_member(request.user, delegation) or is_organiser(request.user)):
        raise Http404
    return delegation


@login_required
def delegation_intentions(request, pk: int):
    delegation = _delegation_for_member(request, pk)
    return render(
        request,
        "projects/delegation_intentions.html",
        {"delegation": delegation, **selectors.delegation_summary(delegation)},
    )


@login_required
def delegation_intentions_csv(request, pk: int):
    delegation = _delegation_for_member(request, pk)
    header = [
        _("Submitted by"),
        _("Counterpart"),
        _("Project"),
        _("Fields"),
        _("Cooperation type"),
        _("State"),
        _("Amount"),
        _("Signed on"),
        _("Place of signing"),
        _("Description"),
        _("Submitted at"),
    ]
    rows = (
        [
            intention.submitter,
            intention.counterpart_name,
            intention.project or "",
            ", ".join(str(field) for field in intention.fields.all()),
            intention.get_cooperation_type_display(),
            intention.get_state_display(),
            intention.get_amount_band_display(),
            intention.signed_on or "",
            intention.signed_place,
            intention.description,
            intention.created_at.date(),
        ]
        for intention in in_chunks(
            selectors.intention_rows(Intention.objects.of_delegation(delegation)),
            order=("-created_at", "-pk"),
        )
    )
    return csv_response(f"intentions-delegation-{delegation.pk}.csv", header, rows)


@login_required
def ranking(request):
    if not is_organiser(request.user):
        raise Http404
    editions = Edition.objects.all()
    number = as_id(request.GET.get("edition"))
    edition = (get_object_or_404(Edition, number=number) if number else None) or _edition_or_404()
    return render(
        request,
        "projects/delegation_ranking.html",
        {
            "edition": edition,
            "editions": editions,
            "delegations": selectors.delegation_ranking(edition),
            "totals": selectors.edition_counts(edition),
        },
    )


# --- Agreements (public) --------------------------------------------------------------------


def agreement_list(request):
    edition = current_edition()
    number = as_id(request.GET.get("edition"))
    if number:
        edition = get_object_or_404(Edition, number=number)
    paginator = Paginator(selectors.public_agreements(edition), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "projects/agreement_list.html",
        {
            "edition": edition,
            "editions": Edition.objects.all(),
            "totals": selectors.edition_counts(edition) if edition else None,
            "page_obj": page_obj,
            "agreements": page_obj.object_list,
        },
    )


# --- Matchmaking ----------------------------------------------------------------------------


def _parties_for_recommendations(user, edition):
    parties = []
    for organisation in Organisation.objects.of_member(user).order_by("name_en"):
        parties.append((f"organisation:{organisation.pk}", organisation))
    for delegation in (
        Delegation.objects.of_member(user).filter(edition=edition).order_by("name_en")
    ):
        parties.append((f"delegation:{delegation.pk}", delegation))
    return parties


@login_required
def recommendations(request):
    edition = _edition_or_404()
    parties = _parties_for_recommendations(request.user, edition)
    chosen = request.GET.get("for") or (parties[0][0] if parties else "")
    party = dict(parties).get(chosen)
    projects = []
    if isinstance(party, Organisation):
        projects = selectors.recommendations_for_organisation(party, edition)
    elif isinstance(party, Delegation):
        projects = selectors.recommendations_for_delegation(party)
    rows = []
    for project in projects:
        types = [row.type for row in project.cooperation_types.all()]
        rows.append(
            {
                "project": project,
                "form": QuickIntentionForm(
                    initial={
                        "project": project.pk,
                        "party": chosen,
                        "cooperation_type": types[0] if types else "",
                    },
                    auto_id=f"id_%s_{project.pk}",
                ),
            }
        )
    return render(
        request,
        "projects/project_recommendations.html",
        {"parties": parties, "chosen": chosen, "party": party, "rows": rows, "edition": edition},
    )


@login_required
@require_POST
@once_per_token
def recommendation_submit(request):
    edition = _edition_or_404()
    form = QuickIntentionForm(request.POST)
    allowed = dict(party_choices(request.user, edition))
    if not form.is_valid() or form.cleaned_data["party"] not in allowed:
        messages.error(request, _("The intention could not be submitted."))
        return redirect("projects:recommendations")
    project = get_object_or_404(Project.objects.published(), pk=form.cleaned_data["project"])
    kind = form.cleaned_data["cooperation_type"]
    with translation.override("en"):
        description_en = (
            f"Interested in cooperating on “{project.title_en or project.title_zh}” "
            f"({CooperationType(kind).label})."
        )
    try:
        intention = services.intention_submit(
            by=request.user,
            edition=edition,
            project=project,
            cooperation_type=kind,
            description_en=description_en,
            description_zh=f"有意就“{project.title_zh or project.title_en}”开展合作。",
            **resolve_party(form.cleaned_data["party"]),
        )
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
        return redirect(f"{reverse('projects:recommendations')}?for={form.cleaned_data['party']}")
    created(request, intention)
    messages.success(
        request, _("Your intention has been submitted. The counterpart has been notified.")
    )
    return redirect(intention)


# --- Competitions ---------------------------------------------------------------------------


def competition_list(request):
    return render(
        request,
        "projects/competition_list.html",
        {"competitions": selectors.competitions().order_by("-edition__number", "name_en")},
    )


def competition_detail(request, slug: str):
    competition = get_object_or_404(Competition.objects.select_related("edition"), slug=slug)
    entries = [
        entry for entry in selectors.competition_entries(competition) if entry.project.is_public
    ]
    return render(
        request,
        "projects/competition_detail.html",
        {"competition": competition, "entries": entries},
    )


# --- Importing a delegation's project demands from a spreadsheet -----------------------------


def _demand_import(request, delegation_pk: int):
    return delegation_import_pages(
        request,
        delegation_pk,
        "projects:demand_import",
        schema=ProjectDemandImport(),
        done_url=reverse("projects:my_projects"),
    )


demand_import_views = import_views(_demand_import)
