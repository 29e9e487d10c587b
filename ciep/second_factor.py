"""The organisers' back office answers only to staff who signed in with a second factor.

On the portal's own pages, a staff member whose session skipped the second factor is no
organiser either (``ciep.permissions.is_organiser``): the check-in desk, the delegations' and
pavilions' pages and the moderation of projects answer them as anyone else.

allauth keeps, in the session, a record of each way the signed-in user proved who they are
(password, code, "mfa"). Every page of the admin, under both languages, is reached only by a
staff user who has an authenticator (TOTP) and whose session holds an "mfa" record: allauth's
second sign-in step writes it, and so does its reauthentication with a code. Staff without an
authenticator are sent to set one up; staff whose session skipped the second factor (signed in
before setting it up, or signed in some other way) are asked for a code. Superusers too; users
who are not staff are left to the admin's own rule (its login page).
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# Admin pages a staff user may reach without the second factor: signing out.
OPEN_ADMIN_URL_NAMES = {"logout"}
# Recovery codes only stand in for a lost authenticator; they never exist on their own.
SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def passed_second_factor(request, user) -> bool:
    """Whether this session's sign-in of ``user`` included a second factor."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


class StaffSecondFactorMiddleware:
    """Holds every admin page until the staff user has set up and used a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            # The organisers' tools on the portal's own pages (check-in desk, delegations,
            # pavilions, project moderation) ask the same: ``is_organiser`` reads this.
            user.passed_second_factor = passed_second_factor(request, user)
        match = request.resolver_match
        if match is None or match.namespace != admin.site.name:
            return None
        if match.url_name in OPEN_ADMIN_URL_NAMES or not admin.site.has_permission(request):
            return None
        user = request.user
        if not is_mfa_enabled(user, types=SECOND_FACTOR_TYPES):
            messages.warning(
                request,
                _(
                    "The organisers' back office needs a second factor. Set up an "
                    "authenticator app, then open the back office again."
                ),
            )
            return redirect("mfa_activate_totp")
        if not passed_second_factor(request, user):
            messages.info(
                request,
                _(
                    "Confirm your sign-in with a code from your authenticator app to open the "
                    "organisers' back office."
                ),
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return None


def record_activation(sender, request, user, authenticator, **kwargs):
    """Count setting up an authenticator as using it in this session.

    Activating TOTP takes a valid code from the new authenticator, so the session has just
    shown the second factor; without this the organiser would wait for the next code.
    Connected to allauth's ``authenticator_added`` signal.
    """
    if request is None or authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return
    if getattr(request, "user", None) != user:
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
    )
