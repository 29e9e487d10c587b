from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import translation

from .mail import queue_message


class AccountAdapter(DefaultAccountAdapter):
    """Sends people where what they came as takes them, and mails them in their language
    through the outbox, like every other mail of the portal."""

    def validation_error(self, code, *args):
        # allauth tells a locked-out sign-in (too many failed attempts) on the form, with a 200;
        # it is a rate limit like every other, answered 429 with the portal's page.
        request = allauth_context.request
        if code == "too_many_login_attempts" and request is not None:
            raise ImmediateHttpResponse(respond_429(request))
        return super().validation_error(code, *args)

    def get_signup_redirect_url(self, request):
        return reverse("ciep:dashboard")

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        queue_message(message)
