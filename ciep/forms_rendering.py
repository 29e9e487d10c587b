from django import forms
from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form and field through the portal's accessible templates: a form's own
    errors (not a field's) in an alert with an id that fields can point at."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


# Widgets that take a whole row of a two-column group: running text and lists of choices.
WIDE_WIDGETS = (
    forms.Textarea,
    forms.CheckboxSelectMultiple,
    forms.RadioSelect,
    forms.SelectMultiple,
)


class Fieldsets:
    """A long form drawn in groups, each a ``<fieldset>`` with a heading, by the portal's form
    template: ``fieldsets = ((_("Heading"), ("field", ...)), ...)`` on a form class. Fields no
    group names follow in a last group without a heading, so a field added later still shows.
    On wide screens short fields (a name, a number, a choice) sit two by two; running text and
    lists of choices take the whole row."""

    fieldsets: tuple = ()

    def field_groups(self) -> list[tuple[str, list[tuple[forms.BoundField, bool]]]]:
        named = {name for _heading, names in self.fieldsets for name in names}
        groups = [
            (heading, [self[name] for name in names if name in self.fields])
            for heading, names in self.fieldsets
        ]
        groups.append(("", [field for field in self if field.name not in named]))
        return [
            (heading, [(field, isinstance(field.field.widget, WIDE_WIDGETS)) for field in fields])
            for heading, fields in groups
            if any(not field.is_hidden for field in fields)
        ]
