"""Daily: ask the parties of signed agreements for progress reports at 3, 6 and 12 months."""

import datetime

from django.core.management.base import BaseCommand

from projects.services import followup_send_due


class Command(BaseCommand):
    help = (
        "Send the progress-report reminders that are due (3, 6 and 12 months after signing). "
        "Safe to run any number of times: one reminder per agreement per milestone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD).",
        )

    def handle(self, *args, today=None, **options):
        sent = followup_send_due(today=today)
        self.stdout.write(f"{sent} reminder(s) sent.")
