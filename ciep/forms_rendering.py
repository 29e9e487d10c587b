from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form and field through the portal's accessible templates: a form's own
    errors (not a field's) in an alert with an id that fields can point at."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
