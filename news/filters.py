"""The news list's filters: search in either language, category, edition and field."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ciep.models import Edition, Field

from .models import Article


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Article.Category.choices, empty_label=_("All categories")
    )
    edition = django_filters.ModelChoiceFilter(
        label=_("Edition"),
        queryset=Edition.objects.all(),
        to_field_name="number",
        empty_label=_("All editions"),
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Field"),
        field_name="fields",
        queryset=Field.objects.all(),
        to_field_name="slug",
        empty_label=_("All fields"),
    )

    class Meta:
        model = Article
        fields = ["q", "category", "edition", "field"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value.strip())
