from django.db import migrations

from ciep.migration_ops import trigram_search_indexes


class Migration(migrations.Migration):
    dependencies = [("exhibitions", "0002_organisers_group")]

    operations = [trigram_search_indexes("exhibitions", "exhibitor", ["description_en", "description_zh"])]
