from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ciep.areas import all_areas
from ciep.caching import bump_all
from ciep.synthetic.demo import seed_core
from ciep.synthetic.scale import generate_17th


class Command(BaseCommand):
    help = (
        "Load the demo data: the 17th edition generated at its size, then the hand-written "
        "rows of the 17th and 20th (idempotent: running it again changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            help="Size of the generated 17th edition: 1 for its real figures, 0.1 for a tenth, "
            "0 for none (default: the DEMO_EDITION_SCALE setting).",
        )

    def handle(self, *args, scale=None, **options):
        scale = settings.DEMO_EDITION_SCALE if scale is None else scale
        if scale < 0:
            raise CommandError("--scale cannot be negative.")
        self.stdout.write(generate_17th(scale=scale))
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
