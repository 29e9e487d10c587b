"""The exhibition hall's periodic work, scheduled by celery beat (see ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import services


@shared_task
def meetings_lapse() -> int:
    """Lapse the requests whose hold has expired, so that their interpreters hear of it
    within minutes rather than when someone next reads a page."""
    return services.meetings_lapse()
