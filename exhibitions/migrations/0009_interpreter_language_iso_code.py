"""An interpreter's mail language is stored with the portal's ISO 639-1 code (``zh`` for
Chinese, which was stored as Django's ``zh-hans``), as a person's preferred language is."""

from django.db import migrations, models


def to_iso_codes(apps, schema_editor):
    Interpreter = apps.get_model("exhibitions", "Interpreter")
    Interpreter.objects.filter(preferred_language="zh-hans").update(preferred_language="zh")


def to_django_codes(apps, schema_editor):
    Interpreter = apps.get_model("exhibitions", "Interpreter")
    Interpreter.objects.filter(preferred_language="zh").update(preferred_language="zh-hans")


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitions", "0008_interpreter_mail_language"),
    ]

    operations = [
        migrations.AlterField(
            model_name="interpreter",
            name="preferred_language",
            field=models.CharField(
                choices=[("en", "English"), ("zh", "Chinese")],
                default="en",
                max_length=10,
                verbose_name="language of their mail",
            ),
        ),
        migrations.RunPython(to_iso_codes, to_django_codes),
    ]
