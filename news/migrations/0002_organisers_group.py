from django.db import migrations

from ciep.groups import grant_to_organisers

forwards, backwards = grant_to_organisers("news")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_articles_and_media_figures"),
        ("ciep", "0002_organisers_group"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
