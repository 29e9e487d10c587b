"""The bulk import of a delegation's project demands (``ciep.imports``): one row a request,
checked by the project's own form and saved as a draft by ``project_create``."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ciep.imports import (
    Column,
    ImportSchema,
    checked_by_form,
    choice_lookup,
    country_lookup,
    field_lookup,
)
from ciep.models import Field
from ciep.permissions import heads_delegation

from . import services
from .forms import ProjectForm
from .models import AmountBand, CooperationType, Project

LISTS = ("fields", "cooperation_types")


class ProjectDemandImport(ImportSchema):
    key = "projects.demands"
    title = gettext_lazy("Import project demands")
    file_stem = "project-demands"
    columns = (
        Column(
            "title_en",
            gettext_lazy("Title (English)"),
            False,
            "Partners for a hydrogen fuel-cell plant",
            gettext_lazy("A title in English or Chinese (at least one)."),
        ),
        Column("title_zh", gettext_lazy("Title (Chinese)"), False, "氢燃料电池工厂合作伙伴"),
        Column(
            "summary_en",
            gettext_lazy("Summary (English)"),
            False,
            "The province seeks a technology partner for a fuel-cell plant.",
            gettext_lazy("A summary in English or Chinese (at least one)."),
        ),
        Column(
            "summary_zh", gettext_lazy("Summary (Chinese)"), False, "寻求燃料电池技术合作伙伴。"
        ),
        Column(
            "offers_en", gettext_lazy("What the region offers (English)"), False, "Land, funding."
        ),
        Column(
            "offers_zh", gettext_lazy("What the region offers (Chinese)"), False, "土地、资金。"
        ),
        Column(
            "fields",
            gettext_lazy("Fields"),
            True,
            help=gettext_lazy("One or more fields by name, separated by semicolons."),
        ),
        Column(
            "stage",
            gettext_lazy("Stage"),
            True,
            choices=Project.Stage.labels,
        ),
        Column(
            "cooperation_types",
            gettext_lazy("Cooperation types sought"),
            True,
            help=gettext_lazy("One or more, separated by semicolons."),
            choices=CooperationType.labels,
        ),
        Column(
            "country_sought",
            gettext_lazy("Country or region sought"),
            False,
            "DE",
            gettext_lazy("A country's name or its two-letter code."),
        ),
        Column("region_sought", gettext_lazy("Region sought"), False, ""),
        Column(
            "amount_band", gettext_lazy("Budget or investment"), False, choices=AmountBand.labels
        ),
        Column("contact_name", gettext_lazy("Contact person"), True, "Li Ming"),
        Column("contact_email", gettext_lazy("Contact email"), True, "li.ming@example.cn"),
        Column("contact_phone", gettext_lazy("Contact telephone"), False, "+86 311 0000 0000"),
    )

    def may_import(self, user, scope) -> bool:
        return heads_delegation(user, scope)

    def context(self, scope) -> dict:
        return {
            "fields": field_lookup(),
            "stage": choice_lookup(Project.Stage.choices),
            "cooperation_types": choice_lookup(CooperationType.choices),
            "country_sought": country_lookup(),
            "amount_band": choice_lookup(AmountBand.choices),
        }

    def examples(self, scope) -> dict:
        examples = super().examples(scope)
        examples["fields"] = "; ".join(str(field.name) for field in Field.objects.all()[:2])
        examples["stage"] = str(Project.Stage.PILOT.label)
        examples["cooperation_types"] = "; ".join(
            str(kind.label) for kind in (CooperationType.INVESTMENT, CooperationType.JOINT_RD)
        )
        examples["amount_band"] = str(AmountBand.FROM_10M.label)
        return examples

    def clean_row(self, values: dict, *, scope, context: dict):
        unknown = _("“%(value)s” is not one of the choices.")
        lookups = {
            "fields": (context["fields"], _("No field is called “%(value)s”.")),
            "stage": (context["stage"], unknown),
            "cooperation_types": (context["cooperation_types"], unknown),
            "amount_band": (context["amount_band"], unknown),
            "country_sought": (
                context["country_sought"],
                _("No country or region is called “%(value)s”."),
            ),
        }
        values = {**values, "kind": Project.Kind.REQUEST, "owner": f"delegation:{scope.pk}"}
        form = checked_by_form(
            lambda data: ProjectForm(data, user=context["user"], edition=scope.edition),
            values,
            lookups=lookups,
            lists=LISTS,
        )
        return {
            "attributes": form.attributes(),
            "fields": form.cleaned_data["fields"],
            "cooperation_types": form.cleaned_data["cooperation_types"],
        }

    def save(self, cleaned: list, *, scope, by) -> list:
        return [
            services.project_create(
                by=by,
                edition=scope.edition,
                delegation=scope,
                fields=row["fields"],
                cooperation_types=row["cooperation_types"],
                **row["attributes"],
            )
            for row in cleaned
        ]
