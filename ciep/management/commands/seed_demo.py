from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand
from django.db import transaction

from ciep.areas import all_areas
from ciep.caching import bump_all
from ciep.synthetic.demo import seed_core


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        # Loading the demo is nobody's action: it stays out of the audit log.
        with transaction.atomic(), disable_auditlog():
            demo = seed_core()
            for area in all_areas():
                seed = area.hook("seed_demo")
                if seed:
                    seed(demo)
        bump_all()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts:"))
        width = max(len(email) for _role, email, _password in demo.accounts)
        for role, email, password in demo.accounts:
            self.stdout.write(f"  {email.ljust(width)}  {password}  ({role})")
        for user, secret in demo.authenticators:
            self.stdout.write(
                f"The back office asks {user.email} for a second factor: add this TOTP "
                f"secret (or the otpauth:// address) to an authenticator app.\n"
                f"  {secret}\n"
                f"  {get_mfa_adapter().build_totp_url(user, secret)}"
            )
