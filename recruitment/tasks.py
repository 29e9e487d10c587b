"""Online Recruitment's periodic work, scheduled by celery beat (see ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import services


@shared_task
def job_alerts() -> int:
    return services.job_alerts_send()


@shared_task
def job_postings_daily() -> tuple[int, int]:
    return services.job_postings_remind(), services.job_postings_expire()


@shared_task
def job_postings_expire() -> int:
    return services.job_postings_expire()
