"""The bulk import of a delegation's talent demands (``ciep.imports``): one row a demand,
checked by the demand's own form and saved by ``talent_demand_save``."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ciep.imports import (
    Column,
    ImportSchema,
    checked_by_form,
    choice_lookup,
    field_lookup,
)
from ciep.models import Field
from ciep.permissions import heads_delegation

from . import services
from .forms import TalentDemandForm
from .models import TalentDemand


class TalentDemandImport(ImportSchema):
    key = "recruitment.talent_demands"
    title = gettext_lazy("Import talent demands")
    file_stem = "talent-demands"
    columns = (
        Column(
            "title_en",
            gettext_lazy("Title (English)"),
            True,
            "Senior 5G network engineers",
            gettext_lazy("The demand's title in English."),
        ),
        Column("title_zh", gettext_lazy("Title (Chinese)"), False, "5G网络高级工程师"),
        Column(
            "field",
            gettext_lazy("Field"),
            True,
            help=gettext_lazy("A professional field, by its name in English or Chinese."),
        ),
        Column("level", gettext_lazy("Level"), True, choices=TalentDemand.Level.labels),
        Column(
            "number",
            gettext_lazy("Number of talents"),
            False,
            "3",
            gettext_lazy("A whole number, 1 or more (1 when empty)."),
        ),
        Column(
            "description_en",
            gettext_lazy("What is needed (English)"),
            True,
            "Design and roll out 5G networks for the province's industrial parks.",
        ),
        Column(
            "description_zh",
            gettext_lazy("What is needed (Chinese)"),
            False,
            "为园区设计部署5G网络。",
        ),
        Column(
            "offer_en",
            gettext_lazy("What the region offers (English)"),
            False,
            "Housing, a start-up grant.",
        ),
        Column(
            "offer_zh",
            gettext_lazy("What the region offers (Chinese)"),
            False,
            "人才公寓、创业补贴。",
        ),
    )

    def may_import(self, user, scope) -> bool:
        return heads_delegation(user, scope)

    def context(self, scope) -> dict:
        return {"fields": field_lookup(), "levels": choice_lookup(TalentDemand.Level.choices)}

    def examples(self, scope) -> dict:
        examples = super().examples(scope)
        field = Field.objects.first()
        examples["field"] = str(field.name) if field else ""
        examples["level"] = str(TalentDemand.Level.SENIOR.label)
        return examples

    def clean_row(self, values: dict, *, scope, context: dict):
        values = {**values, "number": values["number"] or "1"}
        lookups = {
            "field": (context["fields"], _("No field is called “%(value)s”.")),
            "level": (context["levels"], _("“%(value)s” is not one of the levels.")),
        }
        return checked_by_form(TalentDemandForm, values, lookups=lookups).cleaned_data

    def save(self, cleaned: list, *, scope, by) -> list:
        return [services.talent_demand_save(delegation=scope, data=data, by=by) for data in cleaned]
