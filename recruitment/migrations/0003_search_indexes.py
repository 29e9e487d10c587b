from django.db import migrations

from ciep.migration_ops import trigram_search_indexes


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0002_organisers_group")]

    operations = [trigram_search_indexes("recruitment", "jobposting", ["title_en", "title_zh", "description_en", "description_zh"])]
