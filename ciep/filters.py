"""What every list's filters share (django-filter): one way to name a field in a query string,
and one answer to a filter value that names nothing.

``?field=<slug>`` names a professional field on every list (the projects' convention, and the
API's); a number is still read as the field's id, so addresses saved or shared before keep
working. A value that is not one of a filter's choices (a field that does not exist, a
misspelt category) matches nothing: the list is empty and the form says which value is wrong,
rather than the filter being dropped and every row shown.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from .models import Field


class FieldChoiceField(forms.ModelChoiceField):
    """A field named by its slug, or by its id as older addresses did."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            text = str(value).strip()
            if not text.isdigit():
                raise
            try:
                return self.queryset.get(pk=int(text))
            except (self.queryset.model.DoesNotExist, ValueError, OverflowError):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                ) from None


class FieldFilter(django_filters.ModelChoiceFilter):
    """``?field=<slug>`` (or an old ``?field=<id>``) on any list."""

    field_class = FieldChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Field.objects.all())
        super().__init__(*args, **kwargs)


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet whose invalid values match nothing (django-filter drops them otherwise)."""

    @property
    def invalid(self) -> bool:
        """Whether a value given names none of its filter's choices (the form says which)."""
        return self.is_bound and not self.form.is_valid()

    def filter_queryset(self, queryset):
        if self.invalid:
            return queryset.none()
        return super().filter_queryset(queryset)
