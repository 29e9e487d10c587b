"""Project Cooperation's periodic work, scheduled by celery beat (see ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import services


@shared_task
def followups() -> int:
    return services.followup_send_due()
