"""Online Recruitment's figures for the edition report.

A job posting belongs to the edition it was created for (``JobPosting.edition``, the current
edition by default); its applications belong to the same edition. A talent answered in an
edition when they applied to one of its postings or answered one of its delegations' demands.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ciep.models import Edition, Field

from .models import Application, JobPosting, TalentProfile
from .selectors import participating_organisation_ids  # noqa: F401 - part of this interface

LABELS = {
    "job_postings": _("Job postings"),
    "applications": _("Applications"),
    "hires": _("Hires"),
    "talent_profiles": _("Talents who applied or answered a demand"),
    "foreign_talents": _("Of whom foreign talents"),
    "applications_by_state": _("Applications by state"),
    "job_postings_by_field": _("Job postings by field"),
}


def field_name(name_en: str) -> str:
    """A field's name in the reader's language (the figures keep its English name)."""
    field = Field.objects.filter(name_en=name_en).first()
    return field.name if field else name_en


ITEM_CHOICES = {"applications_by_state": Application.State, "job_postings_by_field": field_name}


def edition_figures(edition: Edition) -> dict:
    postings = JobPosting.objects.for_edition(edition).counted()
    applications = Application.objects.filter(posting__edition=edition)
    active_in_edition = Q(applications__posting__edition=edition) | Q(
        demand_answers__demand__delegation__edition=edition
    )
    talents = TalentProfile.objects.filter(active_in_edition)
    return {
        "job_postings": postings.count(),
        "applications": applications.count(),
        "hires": applications.filter(state=Application.State.HIRED).count(),
        "talent_profiles": talents.values("pk").distinct().count(),
        "foreign_talents": talents.exclude(nationality="CN").values("pk").distinct().count(),
        "applications_by_state": {
            row["state"]: row["n"]
            for row in applications.order_by().values("state").annotate(n=Count("pk"))
        },
        "job_postings_by_field": {
            row["field__name_en"]: row["n"]
            for row in postings.order_by().values("field__name_en").annotate(n=Count("pk"))
        },
    }
