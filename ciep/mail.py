"""Mail in the recipient's language, kept in an outbox and delivered by the task queue.

Every mail the portal sends is rendered where its action happens, written to the outbox
(``OutgoingMail``) in the action's own transaction and handed to the task queue once that
transaction commits. A mail server that is slow, down or refusing never turns a saved action
into an error page: the mail waits in the outbox and is retried, with a delay that doubles each
time, until the server takes it (or ``MAX_ATTEMPTS`` is reached and an organiser can send it
again from the admin).
"""

import base64
import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 15
MAX_DELAY = 3600.0
# A queued mail whose next attempt is this late has lost its task (the broker was down when it
# was queued, or a worker died): the periodic sweep queues it again.
SWEEP_GRACE = datetime.timedelta(seconds=30)


def retry_delay(attempts: int) -> float:
    """Seconds before trying again after ``attempts`` failed ones: ``TASK_RETRY_DELAY``,
    doubled at each attempt, at most an hour. Mail and webhook deliveries both wait so."""
    return min(settings.TASK_RETRY_DELAY * 2 ** (attempts - 1), MAX_DELAY)


def send_mail_to(
    recipient,
    template: str,
    context: dict,
    *,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Queue ``<template>_subject.txt`` and ``<template>_body.txt`` for a user or an address.

    A user gets the mail in their preferred language; a bare address in ``language`` or the
    current one. Rendering happens inside that language, so dates and choices follow it too.
    ``attachments`` are (filename, content, mimetype) triples (a ticket's QR code, ...). The
    mail leaves after the current transaction commits, and not at all if it rolls back.
    """
    if isinstance(recipient, str):
        address, name = recipient, ""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
    else:
        address, name = recipient.email, recipient.name
        language = recipient.interface_language
    with translation.override(language):
        context = {"recipient_name": name, "site_url": site_url(), **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    queue_message(
        EmailMessage(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            attachments=attachments or None,
        )
    )


def queue_message(message: EmailMessage) -> list[OutgoingMail]:
    """Keep ``message`` in the outbox, one row per recipient, and deliver it after commit."""
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    attachments = [
        {
            "filename": filename,
            "mimetype": mimetype,
            "content": base64.b64encode(
                content.encode() if isinstance(content, str) else content
            ).decode(),
        }
        for filename, content, mimetype in message.attachments
    ]
    mails = [
        OutgoingMail.objects.create(
            to=address,
            from_email=message.from_email,
            subject=message.subject,
            body=message.body,
            html_body=html,
            attachments=attachments,
        )
        for address in message.recipients()
    ]
    for mail in mails:
        _deliver_after_commit(mail.pk)
    return mails


def _deliver_after_commit(mail_id: int) -> None:
    from . import tasks  # the tasks module delivers through this one

    transaction.on_commit(partial(tasks.enqueue, tasks.mail_deliver, mail_id))


def _message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMultiAlternatives(mail.subject, mail.body, mail.from_email, [mail.to])
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    for item in mail.attachments:
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return message


def mail_deliver(*, mail_id: int) -> float | None:
    """Send one queued mail; return the seconds to wait before trying again, or ``None``.

    The row stays locked while the mail server is asked, so two workers given the same mail
    send it once; a mail already sent, given up, or not yet due is left alone.
    """
    now = timezone.now()
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(
                pk=mail_id,
                state=OutgoingMail.State.QUEUED,
                next_attempt_at__lte=now + datetime.timedelta(seconds=1),
            )
            .first()
        )
        if mail is None:
            return None
        mail.attempts += 1
        try:
            _message(mail).send()
        except Exception as error:  # whatever the mail server or the network answers
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            if mail.attempts >= MAX_ATTEMPTS:
                mail.state = OutgoingMail.State.FAILED
                logger.error(
                    "Mail %s given up after %d attempts: %s", mail.pk, mail.attempts, error
                )
                delay = None
            else:
                delay = retry_delay(mail.attempts)
                mail.next_attempt_at = now + datetime.timedelta(seconds=delay)
                logger.warning(
                    "Mail %s not sent (%s); next attempt in %.0f s", mail.pk, error, delay
                )
        else:
            mail.state = OutgoingMail.State.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
            delay = None
        mail.save(update_fields=["state", "attempts", "next_attempt_at", "last_error", "sent_at"])
    return delay


def mails_due(*, grace: bool = True) -> list[int]:
    """Queued mails that are due; with ``grace``, only those due for longer than
    ``SWEEP_GRACE`` (their task was lost, since a queued task would have run by then)."""
    due_by = timezone.now() - (SWEEP_GRACE if grace else datetime.timedelta(0))
    return list(
        OutgoingMail.objects.filter(state=OutgoingMail.State.QUEUED, next_attempt_at__lte=due_by)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )


def mail_retry(*, mails) -> int:
    """Organisers send given-up mails again: they are queued anew with a fresh count."""
    ids = [mail.pk for mail in mails if mail.state == OutgoingMail.State.FAILED]
    OutgoingMail.objects.filter(pk__in=ids).update(
        state=OutgoingMail.State.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    for pk in ids:
        _deliver_after_commit(pk)
    return len(ids)


def mails_purge() -> int:
    """Delete sent mails older than ``MAIL_KEEP_DAYS`` days: they hold personal data."""
    before = timezone.now() - datetime.timedelta(days=settings.MAIL_KEEP_DAYS)
    deleted, _ = OutgoingMail.objects.filter(
        state=OutgoingMail.State.SENT, sent_at__lt=before
    ).delete()
    return deleted


def site_url() -> str:
    return settings.PORTAL_URL.rstrip("/")
