import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ciep.caching import rendered_fragments
from ciep.exports import csv_response, in_chunks
from ciep.forms import add_service_errors, service_error_messages
from ciep.idempotency import created, once_per_token
from ciep.import_pages import delegation_import_pages, import_views
from ciep.models import Delegation, Organisation
from ciep.selectors import current_edition
from ciep.storage import private_file_response

from . import selectors, services
from .filters import JobPostingFilter, TalentDemandFilter, TalentFilter
from .forms import (
    ApplicantFilterForm,
    ApplicationForm,
    DeadlineForm,
    DemandAnswerForm,
    JobPostingForm,
    LanguageFormSet,
    MoveForm,
    NoteForm,
    ReportForm,
    SavedSearchForm,
    TalentDemandForm,
    TalentProfileForm,
)
from .imports import TalentDemandImport
from .models import (
    Application,
    JobPosting,
    SavedJob,
    SavedSearch,
    TalentDemand,
    TalentProfile,
)
from .permissions import is_employer

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _profile_of(user) -> TalentProfile | None:
    if not user.is_authenticated:
        return None
    return TalentProfile.objects.filter(user=user).first()


# --- Job seekers ----------------------------------------------------------------------------


def job_list(request):
    # The cards fetch what they show when they are drawn (``selectors.CARD_PREFETCH``).
    filterset = JobPostingFilter(
        request.GET or None,
        queryset=JobPosting.objects.public(),
        facets=selectors.posting_facets,
    )
    page = _page(request, filterset.qs)
    query = request.GET.copy()
    query.pop("page", None)
    saved_ids = set()
    if request.user.is_authenticated:
        saved_ids = set(
            SavedJob.objects.filter(
                user=request.user, posting__in=[posting.pk for posting in page]
            ).values_list("posting_id", flat=True)
        )
    return render(
        request,
        "recruitment/jobposting_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "postings": page.object_list,
            # A posting's card is the same for every reader; whether it is saved is not.
            "cards": rendered_fragments(
                "recruitment/includes/posting_item.html",
                page.object_list,
                "recruitment",
                name="posting",
                prefetch=selectors.CARD_PREFETCH,
            ),
            "saved_ids": saved_ids,
            "search_form": SavedSearchForm(initial={"query": query.urlencode()}),
            "filtered": bool(query),
        },
    )


def job_detail(request, pk: int):
    posting = get_object_or_404(selectors.posting_detail_queryset(request.user), pk=pk)
    context = {
        "posting": posting,
        "languages": selectors.posting_languages(posting),
        "can_manage": False,
        "application": None,
        "saved": False,
    }
    if request.user.is_authenticated:
        context["can_manage"] = posting.organisation.memberships.filter(user=request.user).exists()
        context["application"] = Application.objects.filter(
            posting=posting, talent__user=request.user
        ).first()
        context["saved"] = posting.is_saved
        context["report_form"] = ReportForm()
    return render(request, "recruitment/jobposting_detail.html", context)


@login_required
def application_create(request, pk: int):
    posting = get_object_or_404(selectors.public_postings(), pk=pk)
    profile = _profile_of(request.user)
    if profile is None:
        messages.info(request, _("Create your talent profile first: employers read it."))
        return redirect(f"{reverse('recruitment:profile_edit')}?next={posting.get_absolute_url()}")
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                posting=posting, talent=profile, cover_letter=form.cleaned_data["cover_letter"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your application has been sent."))
            return redirect("recruitment:application_list")
    return render(
        request,
        "recruitment/application_form.html",
        {"posting": posting, "form": form, "profile": profile},
    )


@login_required
@require_POST
def job_save(request, pk: int):
    posting = get_object_or_404(selectors.posting_detail_queryset(request.user), pk=pk)
    if services.saved_job_toggle(user=request.user, posting=posting):
        messages.success(request, _("The job has been saved."))
    else:
        messages.success(request, _("The job has been removed from your saved jobs."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(posting)


@login_required
@require_POST
def job_report(request, pk: int):
    posting = get_object_or_404(selectors.public_postings(), pk=pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.job_posting_report(
                posting=posting, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            service_error_messages(request, error)
        else:
            messages.success(request, _("Thank you: the organisers will review this posting."))
    else:
        messages.error(request, _("Say what is wrong with this posting."))
    return redirect(posting)


@login_required
def saved_list(request):
    return render(
        request,
        "recruitment/savedjob_list.html",
        {
            "saved_jobs": selectors.saved_jobs(request.user),
            "searches": SavedSearch.objects.filter(user=request.user),
        },
    )


@login_required
@require_POST
def search_save(request):
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            services.saved_search_create(
                user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except ValidationError as error:
            service_error_messages(request, error)
        else:
            messages.success(
                request, _("The search has been saved. New matching jobs will be emailed daily.")
            )
            return redirect("recruitment:saved_list")
    else:
        messages.error(request, _("Give the search a name."))
    query = form.data.get("query", "")
    return redirect(reverse("recruitment:job_list") + (f"?{query}" if query else ""))


@login_required
@require_POST
def search_delete(request, pk: int):
    search = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=pk)
    services.saved_search_delete(search=search, by=request.user)
    messages.success(request, _("The saved search has been deleted."))
    return redirect("recruitment:saved_list")


@login_required
def application_list(request):
    return render(
        request,
        "recruitment/application_list.html",
        {"applications": selectors.my_applications(request.user)},
    )


@login_required
def application_detail(request, pk: int):
    application = get_object_or_404(
        Application.objects.of_talent(request.user)
        .select_related("posting__organisation")
        .prefetch_related("events"),
        pk=pk,
    )
    return render(request, "recruitment/application_detail.html", {"application": application})


@login_required
@require_POST
def application_withdraw(request, pk: int):
    application = get_object_or_404(Application.objects.of_talent(request.user), pk=pk)
    try:
        services.application_withdraw(application=application, by=request.user)
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("recruitment:application_detail", pk=application.pk)


@login_required
def application_cv(request, pk: int):
    """The CV kept with an application: for the talent and the employer's members only."""
    visible = Q(pk__in=Application.objects.of_talent(request.user).values("pk")) | Q(
        pk__in=Application.objects.for_employer(request.user).values("pk")
    )
    application = get_object_or_404(Application.objects.filter(visible), pk=pk)
    return private_file_response(application.cv, filename=f"cv-{application.pk}.pdf")


@login_required
def recommendations(request):
    profile = _profile_of(request.user)
    if profile is None:
        messages.info(request, _("Create your talent profile to get recommendations."))
        return redirect("recruitment:profile_edit")
    return render(
        request,
        "recruitment/recommendations.html",
        {
            "postings": selectors.recommended_postings(profile),
            "demands": selectors.recommended_demands(profile),
            "profile": profile,
        },
    )


# --- Talent profile -------------------------------------------------------------------------


@login_required
def profile_edit(request):
    profile = _profile_of(request.user)
    form = TalentProfileForm(request.POST or None, request.FILES or None, instance=profile)
    initial = [
        {"language": item.language, "level": item.level}
        for item in (profile.languages.all() if profile else [])
    ]
    formset = LanguageFormSet(request.POST or None, initial=initial, prefix="languages")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        services.talent_profile_save(
            by=request.user, data=form.cleaned_data, languages=formset.languages()
        )
        messages.success(request, _("Your talent profile has been saved."))
        next_url = request.GET.get("next", "")
        if next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("recruitment:profile_edit")
    return render(
        request,
        "recruitment/talentprofile_form.html",
        {"form": form, "formset": formset, "profile": profile},
    )


@login_required
def profile_cv(request):
    profile = get_object_or_404(TalentProfile, user=request.user)
    return private_file_response(profile.cv, filename="cv.pdf")


@login_required
def profile_download(request):
    profile = get_object_or_404(TalentProfile, user=request.user)
    data = json.dumps(selectors.profile_export(profile), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-ciep-talent-data.json"'
    return response


@login_required
def profile_delete(request):
    profile = get_object_or_404(TalentProfile, user=request.user)
    if request.method == "POST":
        services.talent_profile_delete(profile=profile, by=request.user)
        messages.success(request, _("Your talent profile and your applications have been deleted."))
        return redirect("ciep:dashboard")
    return render(request, "recruitment/talentprofile_delete.html", {"profile": profile})


# --- Employers: postings --------------------------------------------------------------------


@login_required
def posting_manage_list(request):
    return render(
        request,
        "recruitment/jobposting_manage.html",
        {
            "postings": selectors.managed_postings(request.user),
            "organisations": Organisation.objects.of_member(request.user),
        },
    )


@login_required
@once_per_token
def posting_create(request, organisation_pk: int):
    organisation = get_object_or_404(
        Organisation.objects.of_member(request.user), pk=organisation_pk
    )
    form = JobPostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.job_posting_create(
                organisation=organisation,
                by=request.user,
                languages=form.cleaned_data["languages"],
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            created(request, posting)
            messages.success(request, _("The posting has been saved as a draft."))
            return redirect(posting)
    return render(
        request,
        "recruitment/jobposting_form.html",
        {"form": form, "organisation": organisation},
    )


def _managed_posting(request, pk: int) -> JobPosting:
    return get_object_or_404(
        JobPosting.objects.managed_by(request.user).select_related("organisation"), pk=pk
    )


@login_required
def posting_edit(request, pk: int):
    posting = _managed_posting(request, pk)
    form = JobPostingForm(request.POST or None, instance=posting)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_posting_update(
                posting=posting,
                by=request.user,
                languages=form.cleaned_data["languages"],
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The posting has been saved."))
            return redirect(posting)
    return render(
        request,
        "recruitment/jobposting_form.html",
        {"form": form, "organisation": posting.organisation, "posting": posting},
    )


@login_required
@require_POST
def posting_publish(request, pk: int):
    posting = _managed_posting(request, pk)
    try:
        services.job_posting_publish(posting=posting, by=request.user)
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        if posting.organisation.is_verified:
            messages.success(request, _("The posting is published."))
        else:
            messages.warning(
                request,
                _(
                    "The posting is published; it becomes public once organisers verify "
                    "your organisation."
                ),
            )
    return redirect(posting)


@login_required
@require_POST
def posting_close(request, pk: int):
    posting = _managed_posting(request, pk)
    try:
        services.job_posting_close(posting=posting, by=request.user)
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, _("The posting is closed: it takes no more applications."))
    return redirect(posting)


@login_required
def posting_extend(request, pk: int):
    posting = _managed_posting(request, pk)
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_posting_extend(
                posting=posting, deadline=form.cleaned_data["deadline"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The posting is open until its new deadline."))
            return redirect(posting)
    return render(request, "recruitment/jobposting_extend.html", {"form": form, "posting": posting})


@login_required
def posting_applicants(request, pk: int):
    posting = _managed_posting(request, pk)
    applications = selectors.posting_applications(posting)
    filter_form = ApplicantFilterForm(request.GET or None)
    if filter_form.is_valid():
        if filter_form.cleaned_data["state"]:
            applications = applications.filter(state=filter_form.cleaned_data["state"])
        if q := filter_form.cleaned_data["q"].strip():
            applications = applications.filter(
                Q(talent__user__name__icontains=q) | Q(talent__user__email__icontains=q)
            )
    if request.GET.get("format") == "csv":
        return _applicants_csv(posting, applications)
    move_form = MoveForm(queryset=applications)
    if request.method == "POST":
        move_form = MoveForm(request.POST, queryset=selectors.posting_applications(posting))
        if move_form.is_valid():
            moved, refused = services.applications_move(
                applications=list(move_form.cleaned_data["applications"]),
                to=move_form.cleaned_data["to"],
                by=request.user,
            )
            if moved:
                messages.success(
                    request, _("%(count)d application(s) moved.") % {"count": len(moved)}
                )
            for application, reason in refused:
                messages.error(request, f"{application.talent.user}: {reason}")
            return redirect(request.get_full_path())
    return render(
        request,
        "recruitment/application_manage_list.html",
        {
            "posting": posting,
            "applications": applications,
            "filter_form": filter_form,
            "move_form": move_form,
        },
    )


def _applicants_csv(posting, applications):
    header = [_("Name"), _("Email"), _("Nationality"), _("State"), _("Applied at"), _("Headline")]
    rows = (
        [
            application.talent.user.name,
            application.talent.user.email,
            application.talent.nationality.name,
            application.get_state_display(),
            timezone.localtime(application.created_at).strftime("%Y-%m-%d %H:%M"),
            application.talent.headline,
        ]
        for application in in_chunks(applications, order=("-created_at", "-pk"))
    )
    return csv_response(f"applicants-{posting.pk}.csv", header, rows)


@login_required
@once_per_token
def applicant_detail(request, pk: int, application_pk: int):
    posting = _managed_posting(request, pk)
    try:
        application = selectors.application_for_employer(request.user, application_pk)
    except Application.DoesNotExist:
        raise Http404 from None
    if application.posting_id != posting.pk:
        raise Http404
    if application.state == Application.State.SUBMITTED and request.method == "GET":
        application = services.application_mark_viewed(application=application, by=request.user)
        application = selectors.application_for_employer(request.user, application_pk)
    note_form = NoteForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "note":
            if note_form.is_valid():
                note = services.application_note_add(
                    application=application, text=note_form.cleaned_data["text"], by=request.user
                )
                created(request, note)
                messages.success(request, _("The note has been added."))
                return redirect(request.path)
        else:
            try:
                moved, refused = services.applications_move(
                    applications=[application], to=request.POST.get("to", ""), by=request.user
                )
            except ValidationError as error:
                service_error_messages(request, error)
            else:
                for _application, reason in refused:
                    messages.error(request, reason)
                if moved:
                    messages.success(
                        request,
                        _("The application is now “%(state)s”.")
                        % {"state": moved[0].get_state_display()},
                    )
            return redirect(request.path)
    return render(
        request,
        "recruitment/application_manage_detail.html",
        {
            "posting": posting,
            "application": application,
            "note_form": note_form,
            "next_states": [
                state
                for state in services.EMPLOYER_STATES
                if state in services.TRANSITIONS[application.state]
            ],
        },
    )


@login_required
def posting_matches(request, pk: int):
    posting = _managed_posting(request, pk)
    return render(
        request,
        "recruitment/jobposting_matches.html",
        {"posting": posting, "talents": selectors.matching_talents(posting, request.user)},
    )


# --- Employers: talents ---------------------------------------------------------------------


@login_required
def talent_list(request):
    if not is_employer(request.user):
        raise Http404
    filterset = TalentFilter(request.GET or None, queryset=selectors.talent_list(request.user))
    page = _page(request, filterset.qs)
    return render(
        request,
        "recruitment/talentprofile_list.html",
        {"filter": filterset, "page_obj": page, "talents": page.object_list},
    )


@login_required
def talent_detail(request, pk: int):
    profile = get_object_or_404(
        TalentProfile.objects.visible_to(request.user)
        .select_related("user")
        .prefetch_related("fields", "languages"),
        pk=pk,
    )
    return render(request, "recruitment/talentprofile_detail.html", {"profile": profile})


@login_required
def talent_cv(request, pk: int):
    profile = get_object_or_404(TalentProfile.objects.visible_to(request.user), pk=pk)
    return private_file_response(profile.cv, filename=f"cv-{profile.pk}.pdf")


@login_required
def talent_photo(request, pk: int):
    """A talent's photo, shown only to those who may see the profile."""
    profile = get_object_or_404(TalentProfile.objects.visible_to(request.user), pk=pk)
    extension = profile.photo.name.rsplit(".", 1)[-1] if profile.photo else ""
    return private_file_response(
        profile.photo, filename=f"photo-{profile.pk}.{extension}", inline=True
    )


# --- Talent demands -------------------------------------------------------------------------


def demand_list(request):
    edition = current_edition()
    filterset = TalentDemandFilter(
        request.GET or None, queryset=selectors.open_demands(), edition=edition
    )
    page = _page(request, filterset.qs)
    return render(
        request,
        "recruitment/talentdemand_list.html",
        {"filter": filterset, "page_obj": page, "demands": page.object_list},
    )


def demand_detail(request, pk: int):
    demand = get_object_or_404(
        TalentDemand.objects.select_related("delegation__edition", "field"), pk=pk
    )
    can_manage = demand.delegation.members.filter(
        user_id=getattr(request.user, "pk", None)
    ).exists()
    if demand.status != TalentDemand.Status.OPEN and not can_manage:
        raise Http404
    profile = _profile_of(request.user)
    answered = bool(profile and demand.answers.filter(talent=profile).exists())
    form = DemandAnswerForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if profile is None:
            messages.info(request, _("Create your talent profile first: the delegation reads it."))
            return redirect(f"{reverse('recruitment:profile_edit')}?next={request.path}")
        if form.is_valid():
            try:
                services.demand_answer_submit(
                    demand=demand, talent=profile, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your answer has been sent to the delegation."))
                return redirect(demand)
    return render(
        request,
        "recruitment/talentdemand_detail.html",
        {
            "demand": demand,
            "form": form,
            "answered": answered,
            "can_manage": can_manage,
            "profile": profile,
        },
    )


@login_required
def demand_manage_list(request):
    delegations = Delegation.objects.of_member(request.user).select_related("edition")
    demands = (
        TalentDemand.objects.managed_by(request.user)
        .select_related("delegation", "field")
        .annotate(answer_count=Count("answers", distinct=True))
    )
    return render(
        request,
        "recruitment/talentdemand_manage.html",
        {"delegations": delegations, "demands": demands.order_by("-created_at", "-id")},
    )


def _member_delegation(request, pk: int) -> Delegation:
    return get_object_or_404(Delegation.objects.of_member(request.user), pk=pk)


@login_required
@once_per_token
def demand_create(request, delegation_pk: int):
    delegation = _member_delegation(request, delegation_pk)
    form = TalentDemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        demand = services.talent_demand_save(
            delegation=delegation, data=form.cleaned_data, by=request.user
        )
        created(request, demand)
        messages.success(request, _("The demand has been published."))
        return redirect(demand)
    return render(
        request, "recruitment/talentdemand_form.html", {"form": form, "delegation": delegation}
    )


def _managed_demand(request, pk: int) -> TalentDemand:
    return get_object_or_404(
        TalentDemand.objects.managed_by(request.user).select_related("delegation"), pk=pk
    )


@login_required
def demand_edit(request, pk: int):
    demand = _managed_demand(request, pk)
    form = TalentDemandForm(request.POST or None, instance=demand)
    if request.method == "POST" and form.is_valid():
        services.talent_demand_save(
            delegation=demand.delegation, data=form.cleaned_data, by=request.user, demand=demand
        )
        messages.success(request, _("The demand has been saved."))
        return redirect(demand)
    return render(
        request,
        "recruitment/talentdemand_form.html",
        {"form": form, "delegation": demand.delegation, "demand": demand},
    )


@login_required
@require_POST
def demand_close(request, pk: int):
    demand = _managed_demand(request, pk)
    services.talent_demand_close(demand=demand, by=request.user)
    messages.success(request, _("The demand is closed."))
    return redirect("recruitment:demand_manage")


@login_required
def demand_answers(request, pk: int):
    demand = _managed_demand(request, pk)
    answers = selectors.demand_answers(demand)
    if request.GET.get("format") == "csv":
        header = [_("Name"), _("Email"), _("Nationality"), _("Headline"), _("Message"), _("Date")]
        rows = (
            [
                answer.talent.user.name,
                answer.talent.user.email,
                answer.talent.nationality.name,
                answer.talent.headline,
                answer.message,
                timezone.localtime(answer.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for answer in in_chunks(answers, order=("-created_at", "-pk"))
        )
        return csv_response(f"demand-{demand.pk}-answers.csv", header, rows)
    return render(
        request, "recruitment/demandanswer_list.html", {"demand": demand, "answers": answers}
    )


# --- Importing talent demands from a spreadsheet ---------------------------------------------


def _demand_import(request, delegation_pk: int):
    return delegation_import_pages(
        request,
        delegation_pk,
        "recruitment:demand_import",
        schema=TalentDemandImport(),
        done_url=reverse("recruitment:demand_manage"),
    )


demand_import_views = import_views(_demand_import)
