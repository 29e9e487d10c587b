from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders every form field through the portal's accessible field template."""

    field_template_name = "includes/field.html"
