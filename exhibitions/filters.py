import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ciep.countries import country_name
from ciep.filters import FieldFilter, PortalFilterSet
from ciep.models import Delegation, Field, Organisation

from .models import Exhibitor, Hall


def _with_count(label, count) -> str:
    return f"{label} ({count})"


class ExhibitorFilter(PortalFilterSet):
    """The catalogue's search and filters; each choice shows how many exhibitors it has."""

    q = django_filters.CharFilter(
        label=_("Search names, profiles, products and fields"), method="search"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country or region"), field_name="organisation__country"
    )
    field = FieldFilter(label=_("Field"), field_name="fields", queryset=Field.objects.none())
    type = django_filters.ChoiceFilter(
        label=_("Organisation type"), field_name="organisation__type"
    )
    hall = django_filters.ModelChoiceFilter(
        label=_("Hall"), queryset=Hall.objects.none(), method="in_hall"
    )
    delegation = django_filters.ModelChoiceFilter(
        label=_("Delegation"), queryset=Delegation.objects.none()
    )

    class Meta:
        model = Exhibitor
        fields = ["q", "country", "field", "type", "hall", "delegation"]

    def __init__(self, *args, edition, facets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        filters = self.filters
        filters["country"].extra["choices"] = sorted(
            (
                (code, _with_count(country_name(code), count))
                for code, count in facets["country"].items()
            ),
            key=lambda choice: choice[1],
        )
        filters["type"].extra["choices"] = [
            (value, _with_count(label, facets["type"][value]))
            for value, label in Organisation.Type.choices
            if value in facets["type"]
        ]
        filters["field"].queryset = Field.objects.filter(pk__in=list(facets["field"]))
        filters["hall"].queryset = Hall.objects.filter(edition=edition)
        filters["delegation"].queryset = Delegation.objects.filter(
            edition=edition, pk__in=list(facets["delegation"])
        )
        self._facets = facets

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_counted", False):
            facets = self._facets
            for name in ("field", "hall", "delegation"):
                counts = facets[name]
                form.fields[name].label_from_instance = lambda obj, counts=counts: _with_count(
                    obj, counts.get(obj.pk, 0)
                )
            for name in ("country", "type", "field", "hall", "delegation"):
                form.fields[name].widget.attrs["class"] = "form-select"
            form.fields["q"].widget = forms.TextInput(
                attrs={"type": "search", "class": "form-control"}
            )
            form._counted = True
        return form

    def search(self, queryset, name, value):
        return queryset.search(value.strip())

    def in_hall(self, queryset, name, value):
        return queryset.in_hall(value) if value else queryset
