from django.db import migrations

from ciep.groups import grant_to_organisers

forwards, backwards = grant_to_organisers("news")


class Migration(migrations.Migration):
    dependencies = [("news", "0003_press_centre")]

    operations = [migrations.RunPython(forwards, backwards)]
