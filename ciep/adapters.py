from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext_lazy

from .mail import queue_message


@dataclass(frozen=True)
class PortalSite:
    """What allauth's mails call the site: the conference's name in the reader's language and
    the portal's public host, not the host a request happened to name."""

    name: str
    domain: str


PORTAL_SITE = SimpleLazyObject(
    lambda: PortalSite(
        name=pgettext_lazy("mail sender", "CIEP"), domain=urlsplit(settings.PORTAL_URL).netloc
    )
)


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

    def format_email_subject(self, subject):
        return f"[{PORTAL_SITE.name}] {subject}"

    def get_signup_redirect_url(self, request):
        return reverse("ciep:dashboard")

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        user = context.get("user")
        language = getattr(user, "interface_language", None) or translation.get_language()
        context = {"request": request, "email": email, **context, "current_site": PORTAL_SITE}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        queue_message(message)
