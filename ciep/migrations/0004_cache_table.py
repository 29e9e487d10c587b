from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The database cache's table (used when REDIS_URL is not set), so migrate is enough."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("ciep", "0003_attendance")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
