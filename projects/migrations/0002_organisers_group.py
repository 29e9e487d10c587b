from django.db import migrations

from ciep.groups import grant_to_organisers

forwards, backwards = grant_to_organisers("projects")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("ciep", "0002_organisers_group"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
