import time

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ciep.areas import all_areas
from ciep.caching import bump_all
from ciep.report import edition_report
from ciep.synthetic.edition import Progress, generate_core

# Option -> the report figure that must equal it.
CHECKED = {
    "organisations": "organisations",
    "countries": "countries_and_regions",
    "experts": "foreign_experts",
    "representatives": "representatives",
    "visitors": "visitors",
    "delegations": "delegations",
    "booths": "booths",
    "exhibition_area": "exhibition_area_m2",
    "events": "events",
    "registrations": "registrations",
    "jobs": "job_postings",
    "applications": "applications",
    "projects": "projects",
    "intentions": "cooperation_intentions",
    "agreements": "agreements_signed",
}


class Command(BaseCommand):
    help = (
        "Create a synthetic edition of the given size through the real models, then print its "
        "report figures (which equal what was asked). Replaces an edition with that number."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", type=int)
        parser.add_argument("--seed", type=int, default=17)
        for name, default in (
            ("organisations", 200),
            ("countries", 20),
            ("experts", 300),
            ("representatives", 300),
            ("visitors", 2000),
            ("delegations", 10),
            ("booths", 100),
            ("events", 20),
            ("registrations", 500),
            ("jobs", 100),
            ("applications", 200),
            ("projects", 50),
            ("intentions", 100),
            ("agreements", 10),
        ):
            parser.add_argument(f"--{name}", type=int, default=default)
        parser.add_argument(
            "--images",
            action="store_true",
            help="Draw logos, banners, speakers' portraits and product photos (slower).",
        )
        parser.add_argument(
            "--exhibition-area", dest="exhibition_area", type=int, default=3000, metavar="M2"
        )

    def handle(self, *args, number, **options):
        for key in CHECKED:
            if options[key] < 0:
                raise CommandError(f"--{key.replace('_', '-')} cannot be negative.")
        if options["agreements"] > options["intentions"]:
            raise CommandError("There cannot be more agreements than intentions.")
        started = time.monotonic()
        progress = Progress(self.stdout)
        try:
            # Generated data is nobody's action: it stays out of the audit log.
            with transaction.atomic(), disable_auditlog():
                context = generate_core(number, options, progress)
                for area in all_areas():
                    generate = area.hook("generate")
                    if generate:
                        generate(context)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows the new rows before anyone reads them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        bump_all()  # bulk inserts send no signals: refresh every cached page
        report = edition_report(context.edition)
        elapsed = time.monotonic() - started
        self.stdout.write(f"Edition {number} generated in {elapsed:.1f} s. Its report:")
        mismatches = []
        for option, key in CHECKED.items():
            marker = "" if report[key] == options[option] else f"  (asked {options[option]})"
            if marker:
                mismatches.append(key)
            self.stdout.write(f"  {key:24} {report[key]:>9}{marker}")
        if mismatches:
            raise CommandError("Figures differ from what was asked: " + ", ".join(mismatches))
