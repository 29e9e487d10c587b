"""The guest of honour and observers of an edition move from its two country fields to guest
rows, which also carry an introduction per country and an order."""

import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models


def _code(country) -> str:
    return getattr(country, "code", country) or ""


def guests_from_edition_fields(apps, schema_editor):
    """Each edition's guest of honour and observers become guest rows, in their order."""
    Edition = apps.get_model("ciep", "Edition")
    EditionGuest = apps.get_model("ciep", "EditionGuest")
    for edition in Edition.objects.all():
        if _code(edition.guest_of_honour):
            EditionGuest.objects.create(
                edition=edition, country=_code(edition.guest_of_honour), role="guest_of_honour"
            )
        for order, country in enumerate(edition.observers or [], start=1):
            if _code(country) and _code(country) != _code(edition.guest_of_honour):
                EditionGuest.objects.create(
                    edition=edition, country=_code(country), role="observer", order=order
                )


def edition_fields_from_guests(apps, schema_editor):
    """Back: the guest of honour and the observers (introductions are dropped)."""
    Edition = apps.get_model("ciep", "Edition")
    EditionGuest = apps.get_model("ciep", "EditionGuest")
    for edition in Edition.objects.all():
        guests = list(EditionGuest.objects.filter(edition=edition).order_by("role", "order"))
        edition.guest_of_honour = next(
            (_code(g.country) for g in guests if g.role == "guest_of_honour"), ""
        )
        edition.observers = [_code(g.country) for g in guests if g.role == "observer"]
        edition.save(update_fields=["guest_of_honour", "observers"])



class Migration(migrations.Migration):

    dependencies = [
        ('ciep', '0013_preferred_language_iso_code'),
    ]

    operations = [
        migrations.CreateModel(
            name='EditionGuest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('country', django_countries.fields.CountryField(max_length=2, verbose_name='country or region')),
                ('role', models.CharField(choices=[('guest_of_honour', 'Guest of honour'), ('observer', 'Observer')], default='guest_of_honour', max_length=20, verbose_name='role')),
                ('intro_en', models.TextField(blank=True, verbose_name='introduction (English)')),
                ('intro_zh', models.TextField(blank=True, verbose_name='introduction (Chinese)')),
                ('order', models.PositiveSmallIntegerField(default=100, verbose_name='order')),
                ('edition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='guests', to='ciep.edition', verbose_name='edition')),
            ],
            options={
                'verbose_name': 'guest country',
                'verbose_name_plural': 'guest of honour and observers',
                'ordering': ['edition', 'role', 'order', 'country'],
                'constraints': [models.UniqueConstraint(fields=('edition', 'country'), name='edition_guest_once'), models.UniqueConstraint(condition=models.Q(('role', 'guest_of_honour')), fields=('edition',), name='edition_one_guest_of_honour')],
            },
        ),
        migrations.RunPython(guests_from_edition_fields, edition_fields_from_guests),
        migrations.RemoveField(
            model_name='edition',
            name='guest_of_honour',
        ),
        migrations.RemoveField(
            model_name='edition',
            name='observers',
        ),
    ]
