"""The news' periodic work, scheduled by celery beat (see ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import services


@shared_task
def publish_due() -> int:
    return services.articles_publish_due()
