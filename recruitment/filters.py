"""The filters of /jobs/, /talents/ and /jobs/demands/ (django-filter)."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ciep.bilingual import bilingual_search, matching
from ciep.countries import country_choices
from ciep.models import Delegation, Field, Organisation
from ciep.places import place_spellings

from .models import (
    Degree,
    JobLanguage,
    JobPosting,
    Language,
    TalentDemand,
    TalentLanguage,
    TalentProfile,
)


def _located_in(place: str) -> Q:
    """Postings in ``place``, typed in either language ("深圳" finds "Shenzhen")."""
    condition = Q()
    for spelling in place_spellings(place):
        condition |= Q(city__icontains=spelling) | Q(province__icontains=spelling)
    return condition


class JobPostingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keywords"), method="search")
    field = django_filters.ModelChoiceFilter(
        label=_("Field"), queryset=Field.objects.all(), empty_label=_("Any field")
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=JobPosting.Type.choices, empty_label=_("Any type")
    )
    location = django_filters.CharFilter(label=_("City or province"), method="filter_location")
    country = django_filters.ChoiceFilter(
        label=_("Employer's country or region"),
        choices=country_choices,
        field_name="organisation__country",
        empty_label=_("Any country or region"),
    )
    salary = django_filters.NumberFilter(
        label=_("Monthly salary at least (CNY)"),
        field_name="salary_monthly",
        lookup_expr="gte",
        min_value=0,
    )
    degree = django_filters.ChoiceFilter(
        label=_("My degree"),
        choices=Degree.choices,
        field_name="degree",
        lookup_expr="lte",
        empty_label=_("Any degree"),
        help_text=_("Postings that ask for this degree or less."),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=Language.choices,
        method="filter_language",
        empty_label=_("Any language"),
    )
    work_permit = django_filters.BooleanFilter(
        label=_("Sponsors the work permit"),
        method="filter_work_permit",
        widget=forms.CheckboxInput,
    )
    remote = django_filters.BooleanFilter(
        label=_("Remote"), method="filter_remote", widget=forms.CheckboxInput
    )
    since = django_filters.ChoiceFilter(
        label=_("Posted since"),
        choices=[("1", _("Yesterday")), ("7", _("Last 7 days")), ("30", _("Last 30 days"))],
        method="filter_since",
        empty_label=_("Any time"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("newest", _("Newest")), ("deadline", _("Deadline")), ("salary", _("Salary"))],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = JobPosting
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            matching(JobPosting, value, "title", "description")
            | matching(Organisation, value, "name", path="organisation")
            | _located_in(value)
        )

    def filter_location(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(_located_in(value))

    def filter_language(self, queryset, name, value):
        return queryset.filter(
            Exists(JobLanguage.objects.filter(posting=OuterRef("pk"), language=value))
        )

    def filter_work_permit(self, queryset, name, value):
        return queryset.exclude(work_permit="") if value else queryset

    def filter_remote(self, queryset, name, value):
        return queryset.filter(remote=True) if value else queryset

    def filter_since(self, queryset, name, value):
        return queryset.filter(published_at__gte=timezone.now() - timedelta(days=int(value)))

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["newest"]))

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("sort")):
            queryset = queryset.order_by(*SORTS["newest"])
        return queryset


SORTS = {
    "newest": [F("published_at").desc(nulls_last=True), "-id"],
    "deadline": ["deadline", "-id"],
    "salary": [F("salary_monthly").desc(nulls_last=True), "-id"],
}


class TalentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keywords"), method="search")
    field = django_filters.ModelChoiceFilter(
        label=_("Field"),
        queryset=Field.objects.all(),
        field_name="fields",
        empty_label=_("Any field"),
    )
    nationality = django_filters.ChoiceFilter(
        label=_("Nationality"), choices=country_choices, empty_label=_("Any nationality")
    )
    degree = django_filters.ChoiceFilter(
        label=_("Degree at least"),
        choices=Degree.choices,
        field_name="degree",
        lookup_expr="gte",
        empty_label=_("Any degree"),
    )
    experience = django_filters.NumberFilter(
        label=_("Years of experience at least"),
        field_name="experience_years",
        lookup_expr="gte",
        min_value=0,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=Language.choices,
        method="filter_language",
        empty_label=_("Any language"),
    )

    class Meta:
        model = TalentProfile
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            bilingual_search(value, "summary")
            | Q(headline__icontains=value)
            | Q(user__name__icontains=value)
        )

    def filter_language(self, queryset, name, value):
        return queryset.filter(
            Exists(TalentLanguage.objects.filter(profile=OuterRef("pk"), language=value))
        )


class TalentDemandFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keywords"), method="search")
    field = django_filters.ModelChoiceFilter(
        label=_("Field"), queryset=Field.objects.all(), empty_label=_("Any field")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=TalentDemand.Level.choices, empty_label=_("Any level")
    )
    delegation = django_filters.ModelChoiceFilter(
        label=_("Delegation"),
        queryset=Delegation.objects.none(),
        empty_label=_("Any delegation"),
    )

    class Meta:
        model = TalentDemand
        fields = []

    def __init__(self, *args, edition=None, **kwargs):
        super().__init__(*args, **kwargs)
        delegations = Delegation.objects.filter(talent_demands__isnull=False)
        if edition is not None:
            delegations = delegations.filter(edition=edition)
        self.filters["delegation"].queryset = delegations.distinct().order_by("name_en")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(bilingual_search(value, "title", "description", "offer"))
