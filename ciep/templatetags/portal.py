"""Template helpers shared by every app's pages."""

import hashlib
from html import escape

from django import template
from django.urls import translate_url
from django.utils.safestring import SafeString, mark_safe

from ..caching import shared
from ..countries import country_name as _country_name
from ..idempotency import FIELD, new_token

register = template.Library()


@register.simple_tag
def form_token():
    """A create form's one-time token: sending the form twice creates one row."""
    return mark_safe(f'<input type="hidden" name="{FIELD}" value="{new_token()}">')


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


def _attributes(attrs: dict) -> str:
    """HTML attributes as Django's widget templates write them (True bare, False left out)."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def select_options(widget) -> SafeString:
    """A select's options, written here rather than through a template per option.

    Django renders every ``<option>`` through two included templates; the country list's 250
    options then cost more than the rest of a search page. The markup is the same.
    """
    lines = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            lines.append(f'<optgroup label="{escape(str(group_name))}">')
        lines.extend(
            f'<option value="{escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
            f"{escape(str(option['label']))}</option>"
            for option in options
        )
        if group_name:
            lines.append("</optgroup>")
    return mark_safe("\n" + "\n".join(lines))  # every text above is escaped


@register.simple_tag(takes_context=True)
def shared_form(context, form, *app_labels: str) -> SafeString:
    """A filter form drawn once for every reader who chose the same filters.

    Only for GET forms that hold nothing personal (no CSRF token, no per-user choices): the
    HTML is kept per page, filters and language until ``app_labels`` (whose data fill the
    choices) change.
    """
    data = form.data.urlencode() if form.is_bound else ""
    digest = hashlib.sha256(f"{context['request'].path}?{data}".encode()).hexdigest()
    return mark_safe(shared(f"form:{digest}", lambda: str(form), *app_labels))


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
