import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from ciep.caching import rendered_fragments
from ciep.exports import csv_response, in_chunks
from ciep.forms import add_service_errors
from ciep.idempotency import created, once_per_token
from ciep.mail import site_url
from ciep.models import Delegation, Edition, Organisation
from ciep.observability import client_ip
from ciep.params import as_id
from ciep.selectors import current_edition

from . import selectors, services
from .calendars import meeting_calendar
from .filters import ExhibitorFilter
from .forms import (
    ApplicationForm,
    BrochureForm,
    ExhibitorForm,
    GalleryImageForm,
    MeetingRequestForm,
    NoteForm,
    OutcomeForm,
    PavilionApplicationForm,
    PlaceInPavilionForm,
    ProductForm,
    ProposeForm,
    SlotForm,
    SlotMoveForm,
    TimeZoneForm,
)
from .models import Application, Booth, Brochure, Exhibitor, GalleryImage, Hall, Meeting, Product
from .permissions import can_place_in_pavilion, is_exhibitor_staff
from .templatetags.exhibition_tags import SESSION_KEY

PAGE_SIZE = 24
CHINA = timezone.get_default_timezone()


# --- Catalogue, halls, booths ---------------------------------------------------------------


def catalogue(request, number: int | None = None):
    edition = get_object_or_404(Edition, number=number) if number else current_edition()
    if edition is None:
        raise Http404
    facets = selectors.catalogue_facets(edition)
    exhibitor_filter = ExhibitorFilter(
        request.GET or None,
        queryset=selectors.catalogue_exhibitors(edition),
        edition=edition,
        facets=facets,
    )
    page = Paginator(exhibitor_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exhibitions/exhibitor_list.html",
        {
            "edition": edition,
            "filter": exhibitor_filter,
            "page_obj": page,
            "exhibitors": page.object_list,
            "cards": rendered_fragments(
                "exhibitions/includes/exhibitor_card.html",
                page.object_list,
                "exhibitions",
                name="exhibitor",
                prefetch=selectors.CARD_PREFETCH,
            ),
            "halls": selectors.halls_of(edition),
            "editions": Edition.objects.filter(halls__isnull=False).distinct().order_by("-number"),
            "filtered": any(request.GET.get(name) for name in exhibitor_filter.filters),
        },
    )


def hall_detail(request, pk: int):
    hall = get_object_or_404(Hall.objects.select_related("edition"), pk=pk)
    booths = selectors.hall_plan(hall)
    query = request.GET.get("booth", "").strip()[:100]
    found = selectors.booths_matching(booths, query)
    return render(
        request,
        "exhibitions/hall_detail.html",
        {
            "hall": hall,
            "booths": booths,
            "query": query,
            "listed": found if query else booths,
            "found_ids": {booth.pk for booth in found} if query else set(),
            "can_pick": hall.edition.status != Edition.Status.CONCLUDED,
        },
    )


def page_visitor(request) -> str:
    """Who reads a page, for counting them once a day: their account, else their session, else
    a digest of their address and browser (never stored as such)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        return "s" + hashlib.sha256(session.session_key.encode()).hexdigest()[:24]
    seen = f"{client_ip(request)}|{request.headers.get('User-Agent', '')}"
    return "a" + hashlib.sha256(seen.encode()).hexdigest()[:24]


def counting_views(view):
    """Count the readers of a booth page, once per visitor and day, whether or not the page
    cache answers them."""

    @wraps(view)
    def wrapped(request, pk: int, *args, **kwargs):
        response = view(request, pk, *args, **kwargs)
        if response.status_code in (200, 304):  # a browser's revalidation is a view too
            services.exhibitor_record_view(exhibitor_id=pk, visitor=page_visitor(request))
        return response

    return wrapped


def exhibitor_detail(request, pk: int):
    exhibitor = get_object_or_404(selectors.exhibitor_detail_queryset(), pk=pk)
    # The profile is the same for every reader; staff tools and bookable slots are not.
    [(_exhibitor, profile)] = rendered_fragments(
        "exhibitions/includes/booth_profile.html",
        [exhibitor],
        "exhibitions",
        name="exhibitor",
        prefetch=selectors.PROFILE_PREFETCH,
    )
    return render(
        request,
        "exhibitions/exhibitor_detail.html",
        {
            "exhibitor": exhibitor,
            "profile": profile,
            "location": exhibitor.location,
            "is_staff": is_exhibitor_staff(request.user, exhibitor),
            "tz_form": TimeZoneForm(initial={"tz": request.session.get(SESSION_KEY)}),
            "tz_form_posts": time_zone_form_posts(request),
        },
    )


def _back_to(request, target: str) -> str:
    """``target`` when it is a path of this site, else the catalogue (a name, another host)."""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return reverse("exhibitions:catalogue")
    return target


def time_zone_form_posts(request) -> bool:
    """Whether a page's time-zone form may post its choice at once, with a CSRF token.

    A page for an anonymous visitor without a session may be cached and shared by every such
    visitor (ciep/caching.py), and a CSRF token belongs to one browser: that page's form asks
    for the choice on the time-zone page instead, which is never cached and holds the token.
    """
    return request.user.is_authenticated or settings.SESSION_COOKIE_NAME in request.COOKIES


@require_http_methods(["GET", "POST"])
def set_timezone(request):
    """The visitor's time zone for negotiation times, kept in their session.

    GET shows the choice (from a cached booth page's form) with a CSRF token; POST keeps it,
    like every other form of the portal only with a valid token.
    """
    if request.method == "GET":
        form = TimeZoneForm(
            initial={"tz": request.GET.get("tz") or request.session.get(SESSION_KEY)}
        )
        return render(
            request,
            "exhibitions/time_zone_form.html",
            {"tz_form": form, "next": _back_to(request, request.GET.get("next", ""))},
        )
    form = TimeZoneForm(request.POST)
    if form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["tz"]
    return redirect(_back_to(request, request.POST.get("next", "")))


# --- The exhibitor's own booth --------------------------------------------------------------


def _staffed_exhibitor(request, pk: int) -> Exhibitor:
    return get_object_or_404(
        Exhibitor.objects.staffed_by(request.user).select_related("organisation", "edition"),
        pk=pk,
    )


@login_required
def exhibitor_edit(request, pk: int):
    exhibitor = _staffed_exhibitor(request, pk)
    form = ExhibitorForm(request.POST or None, request.FILES or None, instance=exhibitor)
    if request.method == "POST" and form.is_valid():
        services.exhibitor_update(exhibitor=exhibitor, data=form.cleaned_data, by=request.user)
        messages.success(request, _("Your booth page has been saved."))
        return redirect("exhibitions:exhibitor_manage", pk=exhibitor.pk)
    return render(
        request, "exhibitions/exhibitor_form.html", {"exhibitor": exhibitor, "form": form}
    )


CONTENT_FORMS = {
    "gallery": (GalleryImageForm, GalleryImage, _("The image has been added to the gallery.")),
    "product": (ProductForm, Product, _("The product has been added.")),
    "brochure": (BrochureForm, Brochure, _("The brochure has been added.")),
}


@login_required
@once_per_token
def exhibitor_manage(request, pk: int, kind: str | None = None):
    """The exhibitor's booth content: gallery, products, brochures (add and remove)."""
    exhibitor = _staffed_exhibitor(request, pk)
    forms = {name: form_class(prefix=name) for name, (form_class, _m, _s) in CONTENT_FORMS.items()}
    if request.method == "POST":
        if kind not in CONTENT_FORMS:
            raise Http404
        form_class, model, success = CONTENT_FORMS[kind]
        form = form_class(request.POST, request.FILES, prefix=kind)
        forms[kind] = form
        if form.is_valid():
            item = services.exhibitor_content_add(
                exhibitor=exhibitor, model=model, data=form.cleaned_data, by=request.user
            )
            created(request, item)
            messages.success(request, success)
            return redirect("exhibitions:exhibitor_manage", pk=exhibitor.pk)
    return render(
        request,
        "exhibitions/exhibitor_manage.html",
        {
            "exhibitor": exhibitor,
            "forms": forms,
            "gallery": exhibitor.gallery.all(),
            "products": exhibitor.products.all(),
            "brochures": exhibitor.brochures.all(),
        },
    )


@login_required
@require_POST
def exhibitor_content_delete(request, pk: int, kind: str, item_pk: int):
    exhibitor = _staffed_exhibitor(request, pk)
    if kind not in CONTENT_FORMS:
        raise Http404
    model = CONTENT_FORMS[kind][1]
    item = get_object_or_404(model, exhibitor=exhibitor, pk=item_pk)
    services.exhibitor_content_remove(item=item, by=request.user)
    messages.success(request, _("Removed."))
    return redirect("exhibitions:exhibitor_manage", pk=exhibitor.pk)


# --- Applications ---------------------------------------------------------------------------


def _open_edition(request) -> Edition:
    edition = current_edition()
    if edition is None or edition.status == Edition.Status.CONCLUDED:
        raise Http404
    return edition


@login_required
def application_create(request):
    edition = _open_edition(request)
    organisations = Organisation.objects.managed_by(request.user)
    if not organisations.exists():
        messages.info(
            request, _("Register your organisation first: its administrators apply to exhibit.")
        )
        return redirect("ciep:organisation_create")
    initial = {}
    previous = None
    organisation_pk = as_id(request.GET.get("organisation"))
    chosen = organisations.filter(pk=organisation_pk).first() if organisation_pk else None
    if chosen is None and organisations.count() == 1:
        chosen = organisations.get()
    if chosen is not None:
        initial["organisation"] = chosen
        previous = selectors.previous_profile(chosen, edition)
        if previous is not None:
            location = previous.location
            initial.update(
                description_en=previous.description_en,
                description_zh=previous.description_zh,
                fields=list(previous.fields.all()),
                size_m2=location.size_m2 if location else 9,
            )
        else:
            initial.update(
                description_en=chosen.description_en,
                description_zh=chosen.description_zh,
                fields=list(chosen.fields.all()),
            )
    if request.GET.get("booth"):
        initial["booth"] = request.GET["booth"]
    form = ApplicationForm(
        request.POST or None, initial=initial, organisations=organisations, edition=edition
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                by=request.user,
                edition=edition,
                organisation=data["organisation"],
                hall=data["hall"],
                booth_kind=data["booth_kind"],
                size_m2=data["size_m2"],
                booth=data["booth"],
                fields=data["fields"],
                description_en=data["description_en"],
                description_zh=data["description_zh"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your application has been sent to the organisers."))
            return redirect(application)
    return render(
        request,
        "exhibitions/application_form.html",
        {"form": form, "edition": edition, "previous": previous},
    )


@login_required
def pavilion_application_create(request, delegation_pk: int):
    edition = _open_edition(request)
    delegation = get_object_or_404(
        Delegation.objects.headed_by(request.user), pk=delegation_pk, edition=edition
    )
    form = PavilionApplicationForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                by=request.user, edition=edition, delegation=delegation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your pavilion application has been sent."))
            return redirect(application)
    return render(
        request,
        "exhibitions/application_form.html",
        {"form": form, "edition": edition, "delegation": delegation},
    )


@login_required
def application_list(request):
    return render(
        request,
        "exhibitions/application_list.html",
        {"applications": selectors.applications_of(request.user)},
    )


@login_required
def application_detail(request, pk: int):
    application = get_object_or_404(selectors.applications_of(request.user), pk=pk)
    return render(request, "exhibitions/application_detail.html", {"application": application})


@login_required
@require_POST
def application_withdraw(request, pk: int):
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    try:
        services.application_withdraw(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect(application)


@login_required
def pavilion_manage(request, pk: int):
    booth = get_object_or_404(
        Booth.objects.filter(delegation__isnull=False).select_related("hall", "delegation"), pk=pk
    )
    if not can_place_in_pavilion(request.user, booth):
        raise Http404
    form = PlaceInPavilionForm(request.POST or None, delegation=booth.delegation)
    if request.method == "POST" and form.is_valid():
        try:
            exhibitor = services.pavilion_place(
                booth=booth, organisation=form.cleaned_data["organisation"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s is placed in the pavilion.")
                % {"organisation": exhibitor.organisation},
            )
            return redirect("exhibitions:pavilion_manage", pk=booth.pk)
    return render(
        request,
        "exhibitions/pavilion_manage.html",
        {
            "booth": booth,
            "form": form,
            "exhibitors": booth.pavilion_exhibitors.select_related("organisation"),
        },
    )


# --- Negotiations ---------------------------------------------------------------------------


@login_required
def slot_manage(request, pk: int):
    exhibitor = _staffed_exhibitor(request, pk)
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.slot_publish(exhibitor=exhibitor, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The slot has been published."))
            return redirect("exhibitions:slot_manage", pk=exhibitor.pk)
    services.meetings_lapse()
    slots = exhibitor.slots.filter(starts_at__gt=timezone.now()).prefetch_related(
        "meetings__requester", "meetings__interpreter"
    )
    return render(
        request,
        "exhibitions/slot_manage.html",
        {"exhibitor": exhibitor, "form": form, "slots": slots},
    )


@login_required
@require_POST
def slot_withdraw(request, pk: int, slot_pk: int):
    exhibitor = _staffed_exhibitor(request, pk)
    slot = get_object_or_404(exhibitor.slots, pk=slot_pk)
    try:
        services.slot_withdraw(slot=slot, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The slot has been removed."))
    return redirect("exhibitions:slot_manage", pk=exhibitor.pk)


@login_required
def meeting_request(request, pk: int, slot_pk: int):
    exhibitor = get_object_or_404(Exhibitor.objects.select_related("organisation"), pk=pk)
    slot = get_object_or_404(exhibitor.slots, pk=slot_pk)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_request(slot=slot, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request has been sent. The exhibitor has %(hours)d hours to answer.")
                % {"hours": services.HOLD_PERIOD.total_seconds() // 3600},
            )
            return redirect(meeting)
    return render(
        request,
        "exhibitions/meeting_form.html",
        {"exhibitor": exhibitor, "slot": slot, "form": form},
    )


@login_required
def meeting_list(request):
    services.meetings_lapse(requester=request.user)
    meetings = selectors.meetings_of(request.user)
    return render(
        request,
        "exhibitions/meeting_list.html",
        {
            "meetings": meetings,
            "tz_form": TimeZoneForm(initial={"tz": request.session.get(SESSION_KEY)}),
        },
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(selectors.meetings_of(request.user), pk=pk)
    exhibitor = meeting.slot.exhibitor
    staff = is_exhibitor_staff(request.user, exhibitor)
    propose_form = None
    if staff and meeting.state == Meeting.State.REQUESTED and not meeting.is_lapsed:
        free = (
            exhibitor.slots.filter(starts_at__gt=timezone.now())
            .exclude(pk=meeting.slot_id)
            .exclude(
                Q(meetings__state=Meeting.State.ACCEPTED)
                | Q(
                    meetings__state__in=Meeting.HOLDING_STATES,
                    meetings__hold_until__gt=timezone.now(),
                )
            )
        )
        propose_form = ProposeForm(slots=free, prefix="propose")
    movable = (
        meeting.state in Meeting.LIVE_STATES
        and not meeting.is_lapsed
        and meeting.starts_at > timezone.now()
    )
    return render(
        request,
        "exhibitions/meeting_detail.html",
        {
            "meeting": meeting,
            "is_staff": staff,
            "is_requester": meeting.requester_id == request.user.pk,
            "decline_form": NoteForm(prefix="decline"),
            "propose_form": propose_form,
            "can_ask_interpreter": meeting.state in Meeting.LIVE_STATES
            and not meeting.is_lapsed
            and not meeting.interpreter_requested
            and meeting.interpreter_id is None
            and meeting.starts_at > timezone.now(),
            "move_form": SlotMoveForm(
                prefix="move",
                initial={"starts_at": timezone.localtime(meeting.starts_at, CHINA)},
            )
            if staff and movable
            else None,
            "call_off_form": NoteForm(prefix="call_off")
            if staff and meeting.state == Meeting.State.ACCEPTED and not meeting.outcome_due
            else None,
            "outcome_form": OutcomeForm(
                prefix="outcome", initial={"outcome": meeting.outcome or None}
            )
            if staff and meeting.outcome_due
            else None,
        },
    )


@login_required
@require_POST
def meeting_action(request, pk: int, action: str):
    meeting = get_object_or_404(selectors.meetings_of(request.user), pk=pk)
    try:
        if action == "accept":
            result = services.meeting_accept(meeting=meeting, by=request.user)
            messages.success(request, _("The meeting is confirmed."))
        elif action == "decline":
            form = NoteForm(request.POST, prefix="decline")
            form.is_valid()
            result = services.meeting_decline(
                meeting=meeting, by=request.user, note=form.cleaned_data.get("note", "")
            )
            messages.success(request, _("The meeting has been declined."))
        elif action == "cancel":
            result = services.meeting_cancel(meeting=meeting, by=request.user)
            messages.success(request, _("The meeting has been cancelled."))
        elif action == "propose":
            exhibitor = meeting.slot.exhibitor
            form = ProposeForm(request.POST, prefix="propose", slots=exhibitor.slots.all())
            if not form.is_valid():
                messages.error(request, _("Choose one of your slots."))
                return redirect(meeting)
            result = services.meeting_propose(
                meeting=meeting,
                slot=form.cleaned_data["slot"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Another time has been proposed."))
        elif action == "interpreter":
            result = services.meeting_interpreter_request(meeting=meeting, by=request.user)
            messages.success(request, _("The organisers are asked for an interpreter."))
        elif action == "move":
            form = SlotMoveForm(request.POST, prefix="move")
            if not form.is_valid():
                messages.error(request, _("Give the new start as a date and a time."))
                return redirect(meeting)
            services.slot_move(
                slot=meeting.slot, by=request.user, starts_at=form.cleaned_data["starts_at"]
            )
            result = meeting
            messages.success(request, _("The meeting has moved; both sides are told by mail."))
        elif action == "call_off":
            form = NoteForm(request.POST, prefix="call_off")
            form.is_valid()
            result = services.meeting_call_off(
                meeting=meeting, by=request.user, note=form.cleaned_data.get("note", "")
            )
            messages.success(request, _("The meeting has been called off."))
        elif action == "outcome":
            form = OutcomeForm(request.POST, prefix="outcome")
            if not form.is_valid():
                messages.error(request, _("Choose how the meeting went."))
                return redirect(meeting)
            result = services.meeting_record_outcome(
                meeting=meeting, by=request.user, outcome=form.cleaned_data["outcome"]
            )
            messages.success(request, _("The outcome has been recorded."))
        else:
            raise Http404
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    return redirect(result)


@login_required
def meeting_ics(request, pk: int):
    meeting = get_object_or_404(selectors.meetings_of(request.user), pk=pk)
    response = HttpResponse(meeting_calendar(meeting, site_url()), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="ciep-meeting-{meeting.pk}.ics"'
    return response


@login_required
def exhibitor_figures(request, pk: int):
    exhibitor = _staffed_exhibitor(request, pk)
    return render(
        request,
        "exhibitions/exhibitor_figures.html",
        {"exhibitor": exhibitor, "figures": selectors.exhibitor_figures(exhibitor)},
    )


@login_required
def exhibitor_meetings_csv(request, pk: int):
    exhibitor = _staffed_exhibitor(request, pk)
    meetings = (
        Meeting.objects.filter(slot__exhibitor=exhibitor)
        .select_related("slot", "requester")
        .order_by("starts_at", "id")
    )
    china = timezone.get_default_timezone()
    rows = (
        [
            timezone.localtime(m.starts_at, china).strftime("%Y-%m-%d %H:%M"),
            m.slot.duration_minutes,
            m.slot.get_mode_display(),
            m.requester.name,
            m.requester.email,
            m.requester_languages,
            m.get_state_display(),
            m.get_outcome_display(),
            m.message,
            m.note,
        ]
        for m in in_chunks(meetings, order=("starts_at", "pk"))
    )
    header = [
        _("Starts at (China time)"),
        _("Length (minutes)"),
        _("Where"),
        _("Requested by"),
        _("Email"),
        _("Languages"),
        _("State"),
        _("Outcome"),
        _("Message"),
        pgettext("meeting", "Note"),
    ]
    return csv_response(f"meetings-{exhibitor.pk}.csv", header, rows)
