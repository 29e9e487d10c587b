"""Template helpers shared by every app's pages."""

from django import template
from django.urls import translate_url

from ..countries import country_name as _country_name

register = template.Library()


@register.simple_tag
def field_widget(field):
    """The field's widget, linked to its help text and errors for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    attrs = {}
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def country_name(code) -> str:
    return _country_name(str(code) if code else "")


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str) -> str:
    """This page's address in ``language``, computed while the page's own language is active."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)
