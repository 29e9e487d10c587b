"""Email in the recipient's language, from a pair of templates (subject and body)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_mail_to(
    recipient,
    template: str,
    context: dict,
    *,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Send ``<template>_subject.txt`` and ``<template>_body.txt`` to a user or an address.

    A user gets the mail in their preferred language; a bare address in ``language`` or the
    current one. Rendering happens inside that language, so dates and choices follow it too.
    ``attachments`` are (filename, content, mimetype) triples (a ticket's QR code, ...).
    """
    if isinstance(recipient, str):
        address, name = recipient, ""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
    else:
        address, name = recipient.email, recipient.name
        language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"recipient_name": name, "site_url": site_url(), **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    EmailMessage(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        attachments=attachments or None,
    ).send()


def site_url() -> str:
    return getattr(settings, "PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
