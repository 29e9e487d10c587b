from django.db import migrations

from ciep.migration_ops import trigram_search_indexes


class Migration(migrations.Migration):
    dependencies = [("forums", "0003_session_section_venue_restrict")]

    operations = [trigram_search_indexes("forums", "session", ["title_en", "title_zh", "abstract_en", "abstract_zh"])]
