from django.db import migrations

from ciep.groups import grant_to_organisers

forwards, backwards = grant_to_organisers("exhibitions")


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitions", "0001_initial"),
        ("ciep", "0002_organisers_group"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
