"""CSV exports that Excel opens with Chinese intact (UTF-8 with a byte-order mark)."""

import csv
from collections.abc import Iterable, Sequence

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(title) for title in header])
    for row in rows:
        writer.writerow(["" if value is None else str(value) for value in row])
    return response


def export_csv_action(fields: Sequence[str], *, filename: str):
    """An admin action exporting the selected rows; ``fields`` are attribute paths (a__b)."""

    @admin.action(description=_("Export the selected rows to CSV"))
    def export_csv(modeladmin, request, queryset):
        opts = modeladmin.model._meta
        header = []
        for path in fields:
            try:
                field = opts.get_field(path.split("__")[0])
            except FieldDoesNotExist:
                header.append(path)
            else:
                # A reverse relation (booth__code) has no verbose name: name it by its model.
                name = (
                    getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name
                )
                header.append(name if "__" not in path else f"{name}: {path.split('__')[-1]}")
        rows = ([_display(obj, path) for path in fields] for obj in queryset)
        return csv_response(filename, header, rows)

    return export_csv


def _display(obj, path: str):
    """The human value of ``obj.<path>``: choice labels instead of codes."""
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return ""
    last = parts[-1]
    display = getattr(obj, f"get_{last}_display", None)
    value = display() if callable(display) else getattr(obj, last, "")
    if hasattr(value, "all") and callable(value.all):
        return ", ".join(str(item) for item in value.all())
    return value() if callable(value) else value
