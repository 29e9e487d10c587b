from django.core.management.base import BaseCommand

from recruitment.services import job_postings_expire, job_postings_remind


class Command(BaseCommand):
    help = (
        "Run daily: remind posters of jobs whose deadline is close, and close the postings "
        "whose deadline has passed (expired; their webhooks hear posting.closed once)."
    )

    def handle(self, *args, **options):
        reminded = job_postings_remind()
        expired = job_postings_expire()
        self.stdout.write(f"{reminded} reminder(s) sent, {expired} posting(s) expired.")
