from django.db import migrations

from ciep.migration_ops import trigram_search_indexes


class Migration(migrations.Migration):
    dependencies = [("ciep", "0004_cache_table")]

    operations = [trigram_search_indexes("ciep", "organisation", ["name_en", "name_zh"])]
