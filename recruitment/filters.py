"""The filters of /jobs/, /talents/ and /jobs/demands/ (django-filter)."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ciep.bilingual import bilingual_search, matching
from ciep.countries import country_choices
from ciep.filters import FieldFilter, PortalFilterSet
from ciep.models import Delegation, Language, Organisation
from ciep.places import place_spellings

from .models import (
    Degree,
    JobLanguage,
    JobPosting,
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


# What a foreign job seeker needs settled before moving: each is counted in the form.
PERMIT_CATEGORIES = [(value, label) for value, label in JobPosting.WorkPermit.choices if value]
# ``?work_permit=on`` from the single checkbox this list had before: any category.
LEGACY_PERMIT_VALUES = {"on", "true", "True", "1", "yes"}
SUPPORT_FILTERS = {
    "r_visa": "r_visa_support",
    "relocation": "relocation_help",
    "housing": "housing_help",
}


class _Once:
    """A function's value, computed on first use."""

    def __init__(self, compute):
        self.compute = compute

    def __call__(self):
        if not hasattr(self, "value"):
            self.value = self.compute()
        return self.value


def _count_of(label, counts, name, value=None) -> str:
    count = counts()[name]
    return f"{label} ({count.get(value, 0) if value is not None else count})"


_counted_label = lazy(_count_of, str)


class JobPostingFilter(PortalFilterSet):
    """The job search. With ``facets`` (``selectors.posting_facets``), the foreign-talent
    choices (work-permit category, R visa, relocation, housing) show how many open postings
    offer each."""

    q = django_filters.CharFilter(label=_("Keywords"), method="search")
    field = FieldFilter(label=_("Field"), empty_label=_("Any field"))
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
    work_permit = django_filters.MultipleChoiceFilter(
        label=_("Work-permit category sponsored"),
        choices=PERMIT_CATEGORIES,
        method="filter_work_permit",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Postings whose employer sponsors China's work permit in one of these."),
    )
    r_visa = django_filters.BooleanFilter(
        label=_("Talent visa (R visa) support"),
        method="filter_support",
        widget=forms.CheckboxInput,
    )
    relocation = django_filters.BooleanFilter(
        label=_("Relocation help"), method="filter_support", widget=forms.CheckboxInput
    )
    housing = django_filters.BooleanFilter(
        label=_("Housing help"), method="filter_support", widget=forms.CheckboxInput
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

    def __init__(self, data=None, *args, facets=None, **kwargs):
        permits = data.getlist("work_permit") if hasattr(data, "getlist") else []
        if permits:
            if LEGACY_PERMIT_VALUES & set(permits):
                permits = [value for value, _label in PERMIT_CATEGORIES]
            data = data.copy()
            data.setlist("work_permit", [value for value in permits if value])
        super().__init__(data, *args, **kwargs)
        if facets is None:
            return
        # Counted only when the form is drawn (``shared_form`` keeps it drawn for everyone).
        counts = _Once(facets)
        self.filters["work_permit"].extra["choices"] = [
            (value, _counted_label(label, counts, "work_permit", value))
            for value, label in PERMIT_CATEGORIES
        ]
        for name in SUPPORT_FILTERS:
            self.filters[name].label = _counted_label(self.filters[name].label, counts, name)

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
        return queryset.filter(work_permit__in=value) if value else queryset

    def filter_support(self, queryset, name, value):
        return queryset.filter(**{SUPPORT_FILTERS[name]: True}) if value else queryset

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


class TalentFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("Keywords"), method="search")
    field = FieldFilter(label=_("Field"), field_name="fields", empty_label=_("Any field"))
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


class TalentDemandFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("Keywords"), method="search")
    field = FieldFilter(label=_("Field"), empty_label=_("Any field"))
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
