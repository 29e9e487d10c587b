"""Project Cooperation's figures for the edition report, computed by the database."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ciep.models import Delegation, Edition, Field, Organisation

from .models import Intention, Project

LABELS = {
    "projects": _("Projects published"),
    "cooperation_intentions": _("Cooperation intentions"),
    "agreements_signed": _("Agreements signed"),
    "intentions_by_state": _("Intentions by state"),
    "intentions_by_field": _("Intentions by field"),
    "intentions_by_delegation": _("Intentions by delegation"),
    "projects_by_type": _("Projects by type"),
}


def field_name(slug: str) -> str:
    field = Field.objects.filter(slug=slug).first()
    return field.name if field else slug


def delegation_name(name_en: str) -> str:
    """A delegation's name in the reader's language (the figures keep its English name)."""
    delegation = Delegation.objects.filter(name_en=name_en).first()
    return delegation.name if delegation else name_en


ITEM_CHOICES = {
    "intentions_by_state": Intention.State,
    "projects_by_type": Project.Kind,
    "intentions_by_field": field_name,
    "intentions_by_delegation": delegation_name,
}


def edition_figures(edition: Edition) -> dict:
    """The cooperation figures of one edition.

    ``projects``: published projects of the edition (hidden ones included: they were
    published). ``cooperation_intentions``: every intention submitted at the edition except
    the withdrawn ones (declined and lapsed ones still count: they were reached).
    ``agreements_signed``: intentions that reached "agreement signed" or later (signed, in
    implementation, completed). Breakdowns map a label to a count: ``intentions_by_state``
    (state value), ``intentions_by_field`` (field slug), ``intentions_by_delegation``
    (submitting delegation's English name) and ``projects_by_type`` (offer/request).
    """
    projects = Project.objects.filter(edition=edition, state=Project.State.PUBLISHED)
    intentions = Intention.objects.filter(edition=edition).counted()
    totals = intentions.aggregate(
        intentions=Count("pk"),
        agreements=Count("pk", filter=Q(state__in=Intention.AGREEMENT_STATES)),
    )
    return {
        "projects": projects.count(),
        "cooperation_intentions": totals["intentions"],
        "agreements_signed": totals["agreements"],
        "intentions_by_state": dict(
            intentions.order_by().values_list("state").annotate(n=Count("pk"))
        ),
        "intentions_by_field": dict(
            Field.objects.filter(intentions__in=intentions.values("pk"))
            .order_by()
            .values_list("slug")
            .annotate(n=Count("intentions"))
        ),
        "intentions_by_delegation": dict(
            intentions.filter(delegation__isnull=False)
            .order_by()
            .values_list("delegation__name_en")
            .annotate(n=Count("pk"))
        ),
        "projects_by_type": dict(projects.order_by().values_list("kind").annotate(n=Count("pk"))),
    }


def participating_organisation_ids(edition: Edition) -> set[int]:
    """Organisations with a project or an intention (on either side) in the edition."""
    return set(
        Organisation.objects.filter(
            Q(projects__edition=edition)
            | Q(intentions__edition=edition)
            | Q(received_intentions__edition=edition)
        )
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )
