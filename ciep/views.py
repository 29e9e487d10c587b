import sys
from datetime import timedelta
from functools import wraps
from pathlib import PurePath

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseServerError, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST

from . import caching, privacy, report, selectors, services
from .charts import trend_chart
from .exports import csv_response
from .forms import (
    AccessTokenForm,
    AccountDeleteForm,
    AttendanceForm,
    CheckInForm,
    CompareForm,
    DelegationDocumentForm,
    DelegationInviteForm,
    DelegationPoliciesForm,
    InviteForm,
    OrganisationForm,
    ProfileForm,
    WebhookForm,
    add_service_errors,
    service_error_messages,
)
from .idempotency import created, once_per_token
from .mail import site_url
from .models import (
    AccessToken,
    Attendance,
    Consent,
    Delegation,
    DelegationDocument,
    DelegationMember,
    Edition,
    EditionChange,
    EditionGuest,
    Invitation,
    Organisation,
    Webhook,
    WebhookDelivery,
)
from .permissions import can_manage_delegation, is_organisation_admin, is_organiser
from .qr import qr_svg
from .storage import private_storage, signed_name, stored_file_response

# Seconds a visitor is asked to wait when the database cannot be reached.
RETRY_AFTER = 30


def _body_set_aside(view):
    """Draw an error page without reading the request's body again.

    The body may be what caused the error: a form sent in another character set than UTF-8,
    too large, or with too many fields. An error page looks at the CSRF token (to offer one to
    its own forms), which reads the form, which raises once more: the 400 would become a 500.
    A body that cannot be read counts as an empty form on the error page.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            request.POST  # noqa: B018 (read once, or set aside)
        except Exception:
            request._post, request._files = QueryDict(), MultiValueDict()
        return view(request, *args, **kwargs)

    return wrapped


bad_request = _body_set_aside(defaults.bad_request)
permission_denied = _body_set_aside(defaults.permission_denied)
page_not_found = _body_set_aside(defaults.page_not_found)


@_body_set_aside
@requires_csrf_token
def server_error(request):
    """The page for an unhandled error, drawn without the database or the session.

    A database that is down or does not answer is an outage, not a bug: the visitor gets a 503
    in their language with ``Retry-After``, which tells proxies and crawlers to come back.
    """
    error = sys.exc_info()[1]
    context = {"request_id": getattr(request, "request_id", "")}
    if isinstance(error, (OperationalError, InterfaceError)):
        context["retry_minutes"] = max(1, RETRY_AFTER // 60)
        response = HttpResponseServerError(
            loader.get_template("503.html").render(context), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def too_many_requests(request, exception=None, *, retry_after: int | None = None):
    """The page for a post past its rate limit (``ciep.ratelimits``, and allauth's own)."""
    response = render(
        request,
        "429.html",
        {"retry_minutes": max(1, -(-(retry_after or 60) // 60))},
        status=429,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_GET
def private_file(request, token: str):
    """A local private file by the short-lived signed URL its storage issued (to organisers,
    in the admin), as object storage would serve it."""
    name = signed_name(token, max_age=settings.PRIVATE_URL_MAX_AGE)
    return stored_file_response(private_storage(), name, filename=PurePath(name).name)


def home(request):
    edition = selectors.current_edition()
    return render(
        request,
        "ciep/home.html",
        {"edition": edition, "areas": selectors.area_summaries(edition)},
    )


def edition_list(request):
    return render(request, "ciep/edition_list.html", {"editions": selectors.edition_list()})


def edition_detail(request, number: int):
    edition = get_object_or_404(
        Edition.objects.prefetch_related(
            Prefetch("changes", queryset=EditionChange.objects.filter(show_notice=True)), "guests"
        ),
        number=number,
    )
    return render(
        request,
        "ciep/edition_detail.html",
        {
            "edition": edition,
            "guests": list(edition.guests.all()),
            "areas": selectors.area_summaries(edition),
            "delegations": selectors.edition_delegations(edition),
        },
    )


def edition_guest(request, number: int, country: str):
    """A guest-of-honour or observer country's page of an edition: the organisers'
    introduction, the country's delegations, then what each area adds (``Area.guest_template``:
    its exhibitors, its events, its news). A country the edition did not invite is a 404."""
    guest = get_object_or_404(
        EditionGuest.objects.select_related("edition"),
        edition__number=number,
        country=country.upper(),
    )
    return render(
        request,
        "ciep/editionguest_detail.html",
        {
            "edition": guest.edition,
            "guest": guest,
            "delegations": selectors.guest_delegations(guest),
        },
    )


@login_required
def dashboard(request):
    user = request.user
    return render(
        request,
        "ciep/dashboard.html",
        {
            "memberships": selectors.organisations_of(user),
            "delegation_memberships": selectors.delegations_of(user),
            "invitations": Invitation.objects.filter(
                email__iexact=user.email, accepted_at__isnull=True
            ).select_related("organisation", "delegation__edition", "invited_by"),
            "edition": selectors.current_edition(),
            "consents": selectors.consents_in_force(user),
        },
    )


@login_required
@require_GET
def my_data_export(request):
    """The person's data (``data.json``) and files, as one ZIP to download."""
    archive = privacy.export_zip(request.user)
    stamp = timezone.localdate().isoformat()
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"my-ciep-data-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    consent = get_object_or_404(Consent.objects.filter(user=request.user), pk=pk)
    try:
        services.consent_withdraw(consent=consent, by=request.user)
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, _("Your consent has been withdrawn."))
    return redirect("ciep:dashboard")


@login_required
def account_delete(request):
    user = request.user
    refusal = services.account_delete_refusal(user)
    form = AccountDeleteForm(request.POST or None, user=user)
    # Guessing the password here is limited as allauth limits its own reauthentication.
    if request.method == "POST" and not ratelimit.consume(
        request, action="reauthenticate", user=user
    ):
        messages.error(request, _("Too many attempts: wait a minute, then try again."))
        response = render(
            request,
            "ciep/account_delete.html",
            {"form": AccountDeleteForm(user=user), "refusal": refusal},
        )
        response.status_code = 429
        return response
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.account_delete(user=user, by=user)
        except ValidationError as error:
            service_error_messages(request, error)
            return redirect("ciep:account_delete")
        logout(request)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("ciep:home")
    return render(request, "ciep/account_delete.html", {"form": form, "refusal": refusal})


def privacy_notice(request):
    return render(
        request,
        "ciep/privacy.html",
        {
            "mail_keep_days": settings.MAIL_KEEP_DAYS,
            "private_url_minutes": max(1, settings.PRIVATE_URL_MAX_AGE // 60),
            "notice_version": privacy.NOTICE_VERSION,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, data=form.cleaned_data, by=request.user)
        messages.success(request, _("Your profile has been saved."))
        return redirect("ciep:profile_edit")
    return render(request, "ciep/user_form.html", {"form": form})


@login_required
def token_list(request):
    """The person's personal access tokens of the JSON API; a new token is shown once, on the
    page that answers its creation (nothing keeps it afterwards)."""
    offer_exports = request.user.is_staff
    form = AccessTokenForm(request.POST or None, offer_exports=offer_exports)
    created_token = None
    if request.method == "POST" and request.user.is_staff and not request.user.passed_second_factor:
        # A token carries its owner's powers; an organiser's must come from a session that
        # showed the second factor, as the back office asks.
        messages.info(request, _("Confirm your sign-in with a code from your authenticator app."))
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in"]
        try:
            token, created_token = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=timezone.now() + timedelta(days=int(days)) if days else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = AccessTokenForm(offer_exports=offer_exports)
    response = render(
        request,
        "ciep/accesstoken_list.html",
        {
            "form": form,
            "tokens": AccessToken.objects.filter(user=request.user),
            "created_token": created_token,
            "api_docs": reverse("api:openapi-view"),
        },
    )
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(AccessToken.objects.filter(user=request.user), pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("ciep:token_list")


# --- Organisations --------------------------------------------------------------------------


def organisation_detail(request, pk: int):
    organisations = Organisation.objects.prefetch_related("fields")
    organisation = get_object_or_404(organisations, pk=pk)
    member = (
        request.user.is_authenticated and organisation.memberships.filter(user=request.user).first()
    )
    if not organisation.is_verified and not member and not is_organiser(request.user):
        # Unverified organisations are not public yet.
        raise Http404
    return render(
        request,
        "ciep/organisation_detail.html",
        {
            "organisation": organisation,
            "membership": member or None,
            "can_manage": is_organisation_admin(member or None),
        },
    )


@login_required
@once_per_token
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(by=request.user, data=form.cleaned_data)
        created(request, organisation)
        messages.success(
            request,
            _("Your organisation has been created. Organisers will verify it shortly."),
        )
        return redirect(organisation)
    return render(request, "ciep/organisation_form.html", {"form": form, "creating": True})


@login_required
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.managed_by(request.user), pk=pk)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation, data=form.cleaned_data, by=request.user
        )
        messages.success(request, _("The organisation's profile has been saved."))
        return redirect(organisation)
    return render(
        request, "ciep/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_webhooks(request, pk: int):
    """An organisation's webhooks and their recent deliveries; its admins only."""
    organisation = get_object_or_404(Organisation.objects.managed_by(request.user), pk=pk)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_create(
                organisation=organisation,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The webhook has been added."))
            return redirect("ciep:organisation_webhooks", pk=organisation.pk)
    return render(
        request,
        "ciep/webhook_list.html",
        {
            "organisation": organisation,
            "form": form,
            "webhooks": Webhook.objects.filter(organisation=organisation),
            "deliveries": WebhookDelivery.objects.filter(
                webhook__organisation=organisation
            ).select_related("webhook")[:50],
        },
    )


@login_required
@require_POST
def webhook_delete(request, pk: int, webhook_pk: int):
    organisation = get_object_or_404(Organisation.objects.managed_by(request.user), pk=pk)
    webhook = get_object_or_404(Webhook.objects.filter(organisation=organisation), pk=webhook_pk)
    services.webhook_delete(webhook=webhook, by=request.user)
    messages.success(request, _("The webhook has been removed."))
    return redirect("ciep:organisation_webhooks", pk=organisation.pk)


@login_required
def organisation_members(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.managed_by(request.user), pk=pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_invite(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("email", message)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("ciep:organisation_members", pk=organisation.pk)
    return render(
        request,
        "ciep/membership_list.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True),
            "form": form,
        },
    )


@login_required
@require_POST
def membership_remove(request, pk: int, membership_pk: int):
    organisation = get_object_or_404(Organisation.objects.managed_by(request.user), pk=pk)
    membership = get_object_or_404(organisation.memberships, pk=membership_pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
    return redirect("ciep:organisation_members", pk=organisation.pk)


# --- Invitations ----------------------------------------------------------------------------


@login_required
def invitation_accept(request, token: str):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "delegation"),
        token=token,
        email__iexact=request.user.email,
    )
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            service_error_messages(request, error)
            return redirect("ciep:dashboard")
        messages.success(request, _("You have joined %(target)s.") % {"target": invitation.target})
        return redirect(invitation.target)
    return render(request, "ciep/invitation_accept.html", {"invitation": invitation})


# --- Delegations ----------------------------------------------------------------------------


def delegation_detail(request, pk: int):
    delegation = get_object_or_404(selectors.delegation_detail_queryset(), pk=pk)
    return render(
        request,
        "ciep/delegation_detail.html",
        {
            "delegation": delegation,
            "organisations": delegation.organisations.all(),
            "can_manage": can_manage_delegation(request.user, delegation),
        },
    )


def _managed_delegation(request, pk: int) -> Delegation:
    if is_organiser(request.user):
        return get_object_or_404(Delegation, pk=pk)
    return get_object_or_404(Delegation.objects.headed_by(request.user), pk=pk)


@login_required
@once_per_token
def delegation_manage(request, pk: int):
    delegation = _managed_delegation(request, pk)
    invite_form = DelegationInviteForm(prefix="invite")
    policies_form = DelegationPoliciesForm(instance=delegation, prefix="policies")
    document_form = DelegationDocumentForm(prefix="document")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "invite":
            invite_form = DelegationInviteForm(request.POST, prefix="invite")
            if invite_form.is_valid():
                try:
                    services.delegation_member_invite(
                        delegation=delegation,
                        email=invite_form.cleaned_data["email"],
                        by=request.user,
                    )
                except ValidationError as error:
                    add_service_errors(invite_form, error, field="email")
                else:
                    messages.success(request, _("The invitation has been sent."))
                    return redirect("ciep:delegation_manage", pk=delegation.pk)
        elif action == "policies":
            policies_form = DelegationPoliciesForm(
                request.POST, instance=delegation, prefix="policies"
            )
            if policies_form.is_valid():
                services.delegation_policies_update(
                    delegation=delegation, data=policies_form.cleaned_data, by=request.user
                )
                messages.success(request, _("The policies have been saved."))
                return redirect("ciep:delegation_manage", pk=delegation.pk)
        elif action == "document":
            document_form = DelegationDocumentForm(request.POST, request.FILES, prefix="document")
            if document_form.is_valid():
                document = services.delegation_document_add(
                    delegation=delegation, data=document_form.cleaned_data, by=request.user
                )
                created(request, document)
                messages.success(request, _("The document has been added."))
                return redirect("ciep:delegation_manage", pk=delegation.pk)
    return render(
        request,
        "ciep/delegation_manage.html",
        {
            "delegation": delegation,
            "members": delegation.members.select_related("user"),
            "invitations": delegation.invitations.filter(accepted_at__isnull=True),
            "invite_form": invite_form,
            "policies_form": policies_form,
            "document_form": document_form,
        },
    )


@login_required
@require_POST
def delegation_member_remove(request, pk: int, member_pk: int):
    delegation = _managed_delegation(request, pk)
    member = get_object_or_404(DelegationMember.objects.filter(delegation=delegation), pk=member_pk)
    try:
        services.delegation_member_remove(member=member, by=request.user)
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": member.user})
    return redirect("ciep:delegation_manage", pk=delegation.pk)


@login_required
@require_POST
def delegation_document_delete(request, pk: int, document_pk: int):
    delegation = _managed_delegation(request, pk)
    document = get_object_or_404(
        DelegationDocument.objects.filter(delegation=delegation), pk=document_pk
    )
    services.delegation_document_delete(document=document, by=request.user)
    messages.success(request, _("The document has been removed."))
    return redirect("ciep:delegation_manage", pk=delegation.pk)


# --- Attendance -----------------------------------------------------------------------------


@login_required
def edition_attend(request, number: int):
    """Free registration to attend an edition, and the person's check-in code."""
    edition = get_object_or_404(Edition, number=number)
    attendance = Attendance.objects.filter(edition=edition, user=request.user).first()
    form = AttendanceForm(request.POST or None, edition=edition, user=request.user)
    if attendance is None and request.method == "POST" and form.is_valid():
        try:
            attendance = services.attendance_register(
                edition=edition, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("You are registered. Show your code at the entrance."))
            return redirect("ciep:edition_attend", number=edition.number)
    return render(
        request,
        "ciep/attendance_form.html",
        {
            "edition": edition,
            "attendance": attendance,
            "form": form,
            "qr": attendance
            and qr_svg(
                attendance_check_in_url(attendance),
                title=_("Check-in code %(code)s") % {"code": attendance.code},
            ),
        },
    )


@login_required
@require_POST
def attendance_cancel(request, number: int):
    attendance = get_object_or_404(
        Attendance.objects.filter(user=request.user), edition__number=number
    )
    try:
        services.attendance_cancel(attendance=attendance, by=request.user)
    except ValidationError as error:
        service_error_messages(request, error)
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("ciep:edition_attend", number=number)


@login_required
def edition_check_in(request, number: int):
    """The organisers' check-in desk: type or scan a code; each code is accepted once."""
    if not is_organiser(request.user):
        raise Http404
    edition = get_object_or_404(Edition, number=number)
    # A scanned code opens this page with the code filled in, ready to confirm.
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    checked = None
    if request.method == "POST" and form.is_valid():
        try:
            checked = services.attendance_check_in(edition=edition, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error, field="code")
        else:
            form = CheckInForm()
    return render(
        request,
        "ciep/attendance_check_in.html",
        {"edition": edition, "form": form, "checked": checked},
    )


def attendance_check_in_url(attendance: Attendance) -> str:
    """What an attendee's QR code holds: the check-in desk with the code filled in."""
    path = reverse("ciep:edition_check_in", args=[attendance.edition.number])
    return f"{site_url()}{path}?{urlencode({'code': attendance.code})}"


# --- The edition report ---------------------------------------------------------------------


def edition_report(request, number: int):
    edition = get_object_or_404(Edition.objects.prefetch_related("guests"), number=number)

    def sections():  # called by the template's shared part, only when that must be drawn
        return report.report_context(edition)["sections"]

    return render(
        request,
        "ciep/edition_report.html",
        {"edition": edition, "sections": sections, "apps": caching.page_apps()},
    )


def edition_report_json(request, number: int):
    edition = get_object_or_404(Edition.objects.prefetch_related("guests"), number=number)
    return JsonResponse(
        {"edition": report.edition_meta(edition), **report.edition_report(edition)},
        json_dumps_params={"ensure_ascii": False},
    )


def edition_report_csv(request, number: int):
    edition = get_object_or_404(Edition, number=number)
    return csv_response(
        f"ciep-{edition.number}-report.csv",
        [_("Figure"), _("Item"), _("Value")],
        report.csv_rows(report.edition_report(edition)),
    )


def edition_compare(request):
    """Editions side by side, oldest first, each figure with its trend and its total across
    every edition."""
    editions = list(Edition.objects.order_by("-number"))
    form = CompareForm(request.GET or None, editions=editions)
    context = {"form": form, "rows": None}
    if form.is_valid():
        chosen = form.cleaned_data["e"]
        reports = {edition.pk: report.edition_report(edition) for edition in editions}
        rows = report.compare(
            [reports[edition.pk] for edition in chosen],
            totals=report.totals_of(list(reports.values())),
        )
        for row in rows:
            row["chart"] = trend_chart(
                [
                    (str(edition.year), value)
                    for edition, value in zip(chosen, row["values"], strict=True)
                ],
                title=_("%(figure)s by edition") % {"figure": row["label"]},
                chart_id=f"trend-{row['key']}",
            )
        context.update(chosen=chosen, rows=rows, edition_total=len(editions))
    return render(request, "ciep/edition_compare.html", context)
