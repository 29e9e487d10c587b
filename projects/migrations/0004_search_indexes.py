from django.db import migrations

from ciep.migration_ops import trigram_search_indexes


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_intention_newest_first_index")]

    operations = [trigram_search_indexes("projects", "project", ["title_en", "title_zh", "summary_en", "summary_zh"])]
