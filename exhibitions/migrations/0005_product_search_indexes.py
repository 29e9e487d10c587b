from django.db import migrations

from ciep.migration_ops import trigram_search_indexes


class Migration(migrations.Migration):
    dependencies = [("exhibitions", "0004_thumbnails")]

    operations = [
        trigram_search_indexes(
            "exhibitions", "product", ["name_en", "name_zh", "summary_en", "summary_zh"]
        )
    ]
