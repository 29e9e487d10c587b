"""Copying rows into a new edition (``services.edition_clone`` and the areas' hooks)."""

from django.db import models


def copied(row: models.Model, **changes) -> models.Model:
    """An unsaved copy of ``row`` with ``changes``: every concrete field but its id and
    timestamps."""
    values = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key and field.name not in ("created_at", "updated_at")
    }
    for name, value in changes.items():
        field = row._meta.get_field(name)
        if field.is_relation:
            values[field.attname] = value.pk if value is not None else None
        else:
            values[name] = value
    return type(row)(**values)
