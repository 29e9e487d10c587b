"""The catalogue's filters: search in either language, kind, field, cooperation type, stage,
owner's country or province, and edition."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ciep.bilingual import is_chinese
from ciep.filters import FieldFilter, PortalFilterSet
from ciep.models import Delegation, Edition

from .models import CooperationType, Project

PROVINCE_KINDS = [
    Delegation.Kind.PROVINCE,
    Delegation.Kind.AUTONOMOUS_REGION,
    Delegation.Kind.MUNICIPALITY,
    Delegation.Kind.SAR,
]


def province_choices():
    rows = (
        Delegation.objects.filter(kind__in=PROVINCE_KINDS)
        .order_by("name_en")
        .values_list("name_en", "name_zh")
        .distinct()
    )
    return [
        (name_en, (name_zh or name_en) if is_chinese() else name_en) for name_en, name_zh in rows
    ]


def owner_country_choices():
    codes = (
        Project.objects.published()
        .exclude(owner_country="")
        .order_by()
        .values_list("owner_country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda row: row[1])


class ProjectFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(
        label=_("Offer or request"), choices=Project.Kind.choices, empty_label=_("All")
    )
    field = FieldFilter(label=_("Field"), field_name="fields", empty_label=_("All fields"))
    cooperation = django_filters.ChoiceFilter(
        label=_("Cooperation type"),
        field_name="cooperation_types__type",
        choices=CooperationType.choices,
        empty_label=_("All types"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Project.Stage.choices, empty_label=_("All stages")
    )
    country = django_filters.ChoiceFilter(
        label=_("Owner's country or region"),
        field_name="owner_country",
        choices=lambda: owner_country_choices(),
        empty_label=_("All countries and regions"),
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"), method="filter_province", empty_label=_("All provinces")
    )
    edition = django_filters.ModelChoiceFilter(
        label=_("Edition"),
        queryset=Edition.objects.all(),
        to_field_name="number",
        empty_label=_("All editions"),
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = province_choices
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def filter_search(self, queryset, name, value):
        return queryset.search(value.strip())

    def filter_province(self, queryset, name, value):
        """Projects of the province's delegation, of its cities, or of its organisations."""
        matching = Project.objects.filter(
            Q(delegation__name_en=value)
            | Q(delegation__parent__name_en=value)
            | Q(organisation__delegations__name_en=value)
        ).values("pk")
        return queryset.filter(pk__in=matching)
