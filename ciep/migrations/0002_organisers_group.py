from django.db import migrations

from ciep.groups import grant_to_organisers

core_forwards, core_backwards = grant_to_organisers("ciep")
accounts_forwards, accounts_backwards = grant_to_organisers(
    "account", ["view_emailaddress", "change_emailaddress"]
)


def forwards(apps, schema_editor):
    core_forwards(apps, schema_editor)
    accounts_forwards(apps, schema_editor)


def backwards(apps, schema_editor):
    accounts_backwards(apps, schema_editor)
    core_backwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("ciep", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
