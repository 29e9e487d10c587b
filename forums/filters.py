import django_filters
from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ciep.filters import FieldFilter, PortalFilterSet
from ciep.models import Format, Language

from .models import Section, Session, Venue
from .selectors import programme_days


class ProgrammeFilter(PortalFilterSet):
    """The programme's filters; the choices of day and section come from the edition."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    day = django_filters.ChoiceFilter(label=_("Day"), method="on_day", empty_label=_("Any day"))
    section = django_filters.ModelChoiceFilter(
        label=_("Section"), queryset=Section.objects.none(), empty_label=_("Any section")
    )
    venue = django_filters.ModelChoiceFilter(
        label=_("Venue"), queryset=Venue.objects.none(), empty_label=_("Any venue")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Session.Kind.choices, empty_label=_("Any kind")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Format.choices, empty_label=_("Any format")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=[(code, label) for code, label in Session.LANGUAGES if code in Language.values],
        method="in_language",
        empty_label=_("Any language"),
    )
    field = FieldFilter(label=_("Field"), field_name="fields", empty_label=_("Any field"))

    class Meta:
        model = Session
        fields = ["q", "day", "section", "venue", "kind", "format", "language", "field"]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.filters["section"].queryset = Section.objects.filter(edition=edition)
        self.filters["venue"].queryset = Venue.objects.filter(edition=edition).order_by(
            "order", "id"
        )
        self.filters["day"].extra["choices"] = [
            (day.isoformat(), formats.date_format(day, "DATE_FORMAT"))
            for day in programme_days(edition)
        ]
        self.form.fields["q"].widget = forms.SearchInput()

    def search(self, queryset, name, value):
        return queryset.search(value.strip())

    def on_day(self, queryset, name, value):
        return queryset.filter(start__date=value)

    def in_language(self, queryset, name, value):
        return queryset.filter(language__in=[value, Session.BOTH_LANGUAGES])
