from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ciep.caching import rendered_fragments
from ciep.forms import add_service_errors, service_error_messages
from ciep.models import Delegation, Edition
from ciep.permissions import is_organiser
from ciep.selectors import current_edition

from . import calendars, selectors, services
from .filters import ProgrammeFilter
from .forms import (
    CheckInForm,
    FeedbackForm,
    GroupRegistrationForm,
    RegistrationForm,
    SpeakerProfileForm,
    SubVenueEventForm,
)
from .models import (
    DelegationQuota,
    Feedback,
    Registration,
    Session,
    Speaker,
    SubVenueEvent,
    Venue,
)
from .qr import qr_svg

# --- Programme ------------------------------------------------------------------------------


def programme(request, number: int | None = None):
    """An edition's programme by day, filtered; the current edition's at ``/forum/``."""
    if number is None:
        edition = current_edition()
        if edition is None:
            raise Http404
    else:
        edition = get_object_or_404(Edition, number=number)
    sessions = selectors.with_user_flags(selectors.programme_sessions(edition), request.user)
    programme_filter = ProgrammeFilter(request.GET or None, queryset=sessions, edition=edition)
    sessions = programme_filter.qs if programme_filter.is_bound else sessions
    # A session's card is the same for every reader; what is personal is added around it. The
    # list reads only what the page around the cards shows; a card to draw reads the rest.
    cards = rendered_fragments(
        "forums/includes/session_card.html",
        sessions.select_related(None).only("pk", "start", "end", "status", "venue_id"),
        "forums",
        name="session",
        prefetch=[selectors.speaker_roles()],
        drawn_from=selectors.with_seat_counts(selectors.programme_sessions(edition)),
    )
    days = selectors.group_by_day(cards)
    # The grid by venue (?view=grid) is one link away from the list, the default (phones).
    as_grid = request.GET.get("view") == "grid"
    grids = []
    if as_grid and days:
        venues = list(Venue.objects.filter(edition=edition).order_by("order", "id"))
        grids = [
            (day, *selectors.programme_grid(day_sessions, venues)) for day, day_sessions in days
        ]
    return render(
        request,
        "forums/session_list.html",
        {
            "edition": edition,
            "filter": programme_filter,
            "days": days,
            "as_grid": as_grid,
            "grids": grids,
            "result_count": sum(len(day_sessions) for _day, day_sessions in days),
            "editions": Edition.objects.order_by("-number").only("number", "title_en", "title_zh"),
        },
    )


def programme_ics(request, number: int):
    edition = get_object_or_404(Edition, number=number)
    sessions = selectors.programme_sessions(edition)
    content = calendars.sessions_calendar(str(edition.title), sessions)
    return calendars.ics_response(content, f"ciep-{edition.number}-programme.ics")


def session_detail(request, pk: int):
    session = get_object_or_404(selectors.session_detail_queryset(), pk=pk)
    user = request.user
    registration = bookmark = feedback = None
    head_delegations = []
    if user.is_authenticated:
        registration = Registration.objects.active().filter(session=session, user=user).first()
        bookmark = session.bookmarks.filter(user=user).exists()
        if registration is not None and registration.status == "confirmed" and session.is_over():
            feedback = Feedback.objects.filter(session=session, user=user).first()
        head_delegations = list(
            DelegationQuota.objects.filter(
                session=session,
                delegation__in=Delegation.objects.headed_by(user),
            ).select_related("delegation")
        )
    can_give_feedback = (
        registration is not None and registration.status == "confirmed" and session.is_over()
    )
    return render(
        request,
        "forums/session_detail.html",
        {
            "session": session,
            "edition": session.edition,
            "speaker_roles": selectors.session_speaker_roles(session),
            "seats": selectors.session_seats(session),
            "related": selectors.related_sessions(session),
            "registration": registration,
            "is_bookmarked": bookmark,
            "registration_form": RegistrationForm(session=session),
            "quotas": head_delegations,
            "feedback": feedback,
            "feedback_form": FeedbackForm(
                initial={"rating": feedback.rating, "comment": feedback.comment}
                if feedback
                else None
            )
            if can_give_feedback
            else None,
        },
    )


def session_ics(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("venue"), pk=pk)
    content = calendars.sessions_calendar(str(session.title), [session])
    return calendars.ics_response(content, f"ciep-session-{session.pk}.ics")


def session_watch(request, pk: int):
    """Go to the live stream or the replay, counting the view."""
    session = get_object_or_404(Session, pk=pk)
    try:
        target = services.session_view_record(session=session)
    except ValidationError as error:
        service_error_messages(request, error)
        return redirect(session)
    return redirect(target)


@login_required
@require_POST
def session_register(request, pk: int):
    session = get_object_or_404(Session, pk=pk)
    form = RegistrationForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("Choose how you will attend."))
        return redirect(session)
    try:
        registration = services.registration_create(
            session=session, user=request.user, attendance=form.cleaned_data["attendance"]
        )
    except ValidationError as error:
        service_error_messages(request, error)
        return redirect(session)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered. Your ticket and QR code are below."))
        return redirect(registration)
    messages.info(
        request,
        _(
            "The session is full: you are on the waiting list. "
            "We will email you if a seat frees up."
        ),
    )
    return redirect(session)


@login_required
@require_POST
def session_bookmark(request, pk: int):
    session = get_object_or_404(Session, pk=pk)
    if services.bookmark_toggle(user=request.user, session=session):
        messages.success(request, _("The session is in your agenda."))
    else:
        messages.success(request, _("The bookmark has been removed."))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(session)


@login_required
@require_POST
def session_feedback(request, pk: int):
    session = get_object_or_404(
        Session.objects.filter(registrations__user=request.user).distinct(), pk=pk
    )
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a rating from 1 to 5."))
        return redirect(session)
    try:
        services.feedback_submit(
            session=session,
            user=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, _("Thank you for your feedback."))
    return redirect(session)


# --- Registrations --------------------------------------------------------------------------


@login_required
def registration_detail(request, pk: int):
    registration = get_object_or_404(
        Registration.objects.of_user(request.user).select_related("session__venue"), pk=pk
    )
    return render(
        request,
        "forums/registration_detail.html",
        {
            "registration": registration,
            "session": registration.session,
            "qr": qr_svg(registration) if registration.status == "confirmed" else "",
        },
    )


@login_required
@require_POST
def registration_cancel(request, pk: int):
    registration = get_object_or_404(
        Registration.objects.filter(user=request.user)
        | Registration.objects.filter(registered_by=request.user),
        pk=pk,
    )
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, _("The registration has been cancelled."))
    return redirect(registration.session)


@login_required
def group_register(request, pk: int, delegation_pk: int):
    """A delegation's head registers members for a session, within the delegation's quota."""
    session = get_object_or_404(Session, pk=pk)
    delegation = get_object_or_404(Delegation.objects.headed_by(request.user), pk=delegation_pk)
    quota = get_object_or_404(DelegationQuota, session=session, delegation=delegation)
    form = GroupRegistrationForm(request.POST or None, delegation=delegation)
    if request.method == "POST" and form.is_valid():
        try:
            registrations = services.group_register(
                session=session,
                delegation=delegation,
                users=list(form.cleaned_data["members"]),
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for message in error.message_dict.get("members", []):
                    form.add_error("members", message)
                for message in error.message_dict.get("__all__", []):
                    form.add_error(None, message)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)d members registered.") % {"count": len(registrations)},
            )
            return redirect("forums:group_register", pk=session.pk, delegation_pk=delegation.pk)
    group = (
        Registration.objects.active()
        .filter(session=session, delegation=delegation)
        .select_related("user")
    )
    return render(
        request,
        "forums/registration_group.html",
        {
            "session": session,
            "delegation": delegation,
            "quota": quota,
            "group": group,
            "places_left": max(quota.places - len(group), 0),
            "form": form,
        },
    )


@login_required
def check_in(request):
    """Organisers check people in by scanning the QR code (which opens this page) or typing."""
    if not is_organiser(request.user):
        raise Http404
    checked_in = None
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            checked_in = services.registration_check_in(
                code=form.cleaned_data["code"], by=request.user
            )
        except ValidationError as error:
            for message in error.message_dict.get("code", error.messages):
                form.add_error("code", message)
        else:
            form = CheckInForm()
    return render(
        request, "forums/registration_check_in.html", {"form": form, "checked_in": checked_in}
    )


# --- Speakers -------------------------------------------------------------------------------


def speaker_detail(request, pk: int):
    speaker = get_object_or_404(Speaker, pk=pk)
    return render(
        request,
        "forums/speaker_detail.html",
        {
            "speaker": speaker,
            "sessions": selectors.speaker_sessions(speaker),
            "is_own": request.user.is_authenticated and speaker.user_id == request.user.pk,
        },
    )


@login_required
def speaker_edit(request):
    speaker = get_object_or_404(Speaker, user=request.user)
    form = SpeakerProfileForm(request.POST or None, request.FILES or None, instance=speaker)
    if request.method == "POST" and form.is_valid():
        services.speaker_profile_save(speaker=speaker, data=form.cleaned_data, by=request.user)
        messages.success(request, _("Your speaker profile has been saved."))
        return redirect(speaker)
    return render(request, "forums/speaker_form.html", {"form": form, "speaker": speaker})


# --- Agenda ---------------------------------------------------------------------------------


@login_required
def agenda(request):
    feed = services.calendar_feed_get(user=request.user)
    return render(
        request,
        "forums/agenda.html",
        {
            "items": selectors.agenda_items(request.user),
            "feed_url": request.build_absolute_uri(
                redirect("forums:agenda_feed", token=feed.token).url
            ),
        },
    )


@login_required
def agenda_ics(request):
    items = selectors.agenda_items(request.user, with_cancelled=True)
    content = calendars.agenda_calendar(_("My CIEP agenda"), items)
    return calendars.ics_response(content, "ciep-agenda.ics")


def agenda_feed(request, token: str):
    """The private, subscribable feed of a person's agenda (no sign-in: the token is the key)."""
    feed = get_object_or_404(
        services.CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )
    items = selectors.agenda_items(feed.user, with_cancelled=True)
    content = calendars.agenda_calendar(_("My CIEP agenda"), items)
    return calendars.ics_response(content, "ciep-agenda.ics", attachment=False)


@login_required
@require_POST
def agenda_feed_reset(request):
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request, _("Your calendar feed has a new address; the old one no longer works.")
    )
    return redirect("forums:agenda")


# --- Sub-venue events proposed by delegations -----------------------------------------------


def _sub_venue_event_form(request, *, delegation, event):
    """Show and save a proposal's form; the service decides who may and what is valid."""
    form = SubVenueEventForm(request.POST or None, instance=event, edition=delegation.edition)
    if request.method == "POST" and form.is_valid():
        try:
            if event.pk:
                services.sub_venue_event_update(
                    event=event, data=form.service_data(), by=request.user
                )
            else:
                services.sub_venue_event_propose(
                    delegation=delegation, data=form.service_data(), by=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your proposal has been saved. The organisers will review it.")
                if not event.pk
                else _("Your proposal has been changed."),
            )
            return redirect("ciep:delegation_manage", pk=delegation.pk)
    return render(
        request,
        "forums/subvenueevent_form.html",
        {"form": form, "delegation": delegation, "event": event},
    )


@login_required
def sub_venue_event_propose(request, delegation_pk: int):
    """A delegation's head proposes an event at a sub-venue of its own, at home or abroad."""
    delegation = get_object_or_404(
        Delegation.objects.headed_by(request.user).select_related("edition"), pk=delegation_pk
    )
    event = SubVenueEvent(edition=delegation.edition, delegation=delegation)
    return _sub_venue_event_form(request, delegation=delegation, event=event)


@login_required
def sub_venue_event_edit(request, pk: int):
    """The head changes a proposal until the organisers review it (then it is read-only)."""
    event = get_object_or_404(
        SubVenueEvent.objects.proposed_by_heads_of(request.user).select_related(
            "delegation__edition", "venue"
        ),
        pk=pk,
    )
    if not event.is_pending:
        raise PermissionDenied
    return _sub_venue_event_form(request, delegation=event.delegation, event=event)
