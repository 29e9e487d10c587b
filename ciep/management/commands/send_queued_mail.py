from django.core.management.base import BaseCommand

from ciep import mail


class Command(BaseCommand):
    help = (
        "Send the mail waiting in the outbox that is due now (celery beat does this every "
        "minute; without a task queue, run it from cron)."
    )

    def handle(self, *args, **options):
        due = mail.mails_due(grace=False)
        sent = sum(mail.mail_deliver(mail_id=mail_id) is None for mail_id in due)
        self.stdout.write(f"{len(due)} mail(s) due, {sent} settled.")
