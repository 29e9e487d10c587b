from django.core.management.base import BaseCommand

from recruitment.services import job_alerts_send


class Command(BaseCommand):
    help = (
        "Email each user the new jobs matching their saved searches (run daily by cron or a "
        "scheduler; each posting is sent to a user once)."
    )

    def handle(self, *args, **options):
        sent = job_alerts_send()
        self.stdout.write(f"{sent} alert email(s) sent.")
