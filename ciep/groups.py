"""The Organisers group and its permissions, set up by data migrations.

Each app's migration grants the Organisers the permissions on its own models, so the group
grows as areas land and shrinks again when a migration is reversed.
"""

ORGANISERS = "Organisers"


def _permissions(apps, app_label: str, codenames: list[str] | None):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label=app_label)
    if codenames is not None:
        permissions = permissions.filter(codename__in=codenames)
    return permissions


def grant_to_organisers(app_label: str, codenames: list[str] | None = None):
    """A RunPython pair granting the Organisers group ``app_label``'s permissions."""

    def forwards(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        group, _created = Group.objects.get_or_create(name=ORGANISERS)
        group.permissions.add(*_permissions(apps, app_label, codenames))

    def backwards(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        group = Group.objects.filter(name=ORGANISERS).first()
        if group:
            permissions = Permission.objects.filter(content_type__app_label=app_label)
            if codenames is not None:
                permissions = permissions.filter(codename__in=codenames)
            group.permissions.remove(*permissions)

    return forwards, backwards
