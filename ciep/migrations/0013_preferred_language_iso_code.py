"""A person's preferred language is stored with the portal's one code for each language, the
ISO 639-1 code every app uses (``zh`` for Chinese, which was stored as Django's ``zh-hans``)."""

from django.db import migrations, models

# (as stored before, as stored now)
CODES = [("zh-hans", "zh")]


def to_iso_codes(apps, schema_editor):
    User = apps.get_model("ciep", "User")
    for old, new in CODES:
        User.objects.filter(preferred_language=old).update(preferred_language=new)


def to_django_codes(apps, schema_editor):
    User = apps.get_model("ciep", "User")
    for old, new in CODES:
        User.objects.filter(preferred_language=new).update(preferred_language=old)


class Migration(migrations.Migration):
    dependencies = [
        ("ciep", "0012_webhook_events_attempts_idempotency_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="preferred_language",
            field=models.CharField(
                choices=[("en", "English"), ("zh", "Chinese")],
                default="en",
                max_length=10,
                verbose_name="preferred language",
            ),
        ),
        migrations.RunPython(to_iso_codes, to_django_codes),
    ]
