from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Sends people where what they came as takes them, and mails them in their language."""

    def get_signup_redirect_url(self, request):
        return reverse("ciep:dashboard")

    def send_mail(self, template_prefix, email, context):
        from django.utils import translation

        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
