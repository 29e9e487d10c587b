"""The core's tasks: mail delivery, the sweep that finds mail whose task was lost, and reports
to the organisers' technical contacts. Every task is safe to run twice, or twice at once."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import mail_admins

from . import api_idempotency, idempotency, mail

logger = logging.getLogger(__name__)


def enqueue(task, *args, countdown: float | None = None) -> None:
    """Hand ``task`` to the queue; a broker that cannot be reached is logged, never raised.

    Whatever a task does is recorded in the database before it is queued (the outbox holds
    every mail), so a task lost here is found again by the periodic sweep.
    """
    try:
        task.apply_async(args, countdown=countdown)
    except Exception as error:  # the broker is down or does not answer in time
        logger.warning("Task %s not queued (%s): the sweep will find it", task.name, error)


@shared_task(acks_late=True)
def mail_deliver(mail_id: int) -> None:
    delay = mail.mail_deliver(mail_id=mail_id)
    if delay is not None and not settings.CELERY_TASK_ALWAYS_EAGER:
        enqueue(mail_deliver, mail_id, countdown=delay)


@shared_task
def mail_sweep() -> int:
    """Queue again every mail that is overdue: its task was lost or the broker was down."""
    due = mail.mails_due()
    for mail_id in due:
        enqueue(mail_deliver, mail_id)
    return len(due)


@shared_task
def mail_purge() -> int:
    return mail.mails_purge()


@shared_task
def form_submissions_purge() -> int:
    return idempotency.form_submissions_purge()


@shared_task
def idempotency_keys_purge() -> int:
    return api_idempotency.idempotency_keys_purge()


@shared_task
def mail_admins_task(subject: str, message: str, html_message: str | None = None) -> None:
    """Tell the portal's technical contacts (``ADMINS``) about an error, outside the request."""
    mail_admins(subject, message, fail_silently=False, html_message=html_message)


@shared_task(acks_late=True)
def webhook_deliver(delivery_id: int) -> None:
    from . import webhooks

    delay = webhooks.webhook_deliver(delivery_id=delivery_id)
    if delay is not None and not settings.CELERY_TASK_ALWAYS_EAGER:
        enqueue(webhook_deliver, delivery_id, countdown=delay)


@shared_task
def webhook_sweep() -> int:
    """Queue again every delivery that is overdue: its task was lost or the broker was down."""
    from . import webhooks

    due = webhooks.deliveries_due()
    for delivery_id in due:
        enqueue(webhook_deliver, delivery_id)
    return len(due)
