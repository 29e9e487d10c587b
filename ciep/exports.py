"""CSV exports that Excel opens with Chinese intact (UTF-8 with a byte-order mark).

Every CSV the portal writes goes through this module, which gives three guarantees:

- **Streaming.** The response is written while the rows are read, a few thousand at a time, so
  a worker's memory does not grow with the number of rows and the first bytes leave at once.
- **Constant queries per chunk.** Rows are read in keyset chunks (``pk > last``, never
  ``OFFSET``; PostgreSQL's server-side cursors are off, so ``.iterator()`` would read the whole
  table into the client). An export's columns decide its ``select_related`` and
  ``prefetch_related`` once; each chunk then costs one query plus one per prefetched relation,
  whatever the number of rows in it.
- **No formulas.** A text cell that a spreadsheet would read as a formula gets a leading
  apostrophe (:func:`csv_cell`); numbers are written as they are.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

#: Rows read per query. Large enough that the round trips do not count, small enough that a
#: chunk's model instances stay a few megabytes.
CHUNK_SIZE = 2000

#: Characters with which a spreadsheet starts a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Bytes gathered before they are handed to the server (one write per row would be slow).
_BUFFER = 64 * 1024


def csv_cell(value):
    """A value as a CSV cell: ``None`` is empty, numbers stay numbers, and text that a
    spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets
    a leading apostrophe, so that it shows as the text it is."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    """A file that hands back what is written to it, so csv.writer can format one row."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text (byte-order mark, header, rows), in pieces of about 64 KiB."""
    writer = csv.writer(_Echo())
    buffer = ["\ufeff", writer.writerow([csv_cell(str(title)) for title in header])]
    size = 0
    for row in rows:
        line = writer.writerow([csv_cell(value) for value in row])
        buffer.append(line)
        size += len(line)
        if size >= _BUFFER:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def csv_response(
    filename: str, header: Sequence, rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """A streamed CSV download. ``rows`` is read while the response is sent, in the language
    and time zone that are active now (the request's), so it should be lazy: a generator over
    :func:`in_chunks`."""
    header = [str(title) for title in header]
    response = StreamingHttpResponse(
        _in_context(csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _in_context(pieces: Iterator[str]) -> Iterator[str]:
    # The server reads a streamed response after the view has returned, when the request's
    # language and time zone may no longer be active in this thread: take them now.
    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def read():
        while True:
            with translation.override(language), timezone.override(zone):
                piece = next(pieces, None)
            if piece is None:
                return
            yield piece

    return read()


def in_chunks(
    queryset: QuerySet, *, order: Sequence[str] = ("pk",), size: int | None = None
) -> Iterator:
    """Every object of ``queryset`` in ``order``, read ``size`` rows a query by keyset
    (``(a, b, pk) > last``), with the queryset's ``select_related`` and ``prefetch_related``
    applied to each chunk. ``order`` names concrete, non-null fields of the model (``-`` for
    descending) and ends with ``pk`` or ``-pk``, which makes it unique."""
    size = size or CHUNK_SIZE
    opts = queryset.model._meta
    keys = []
    for term in order:
        descending = term.startswith("-")
        name = term.lstrip("-")
        field = opts.pk if name == "pk" else opts.get_field(name)
        if not field.concrete or field.null:
            raise ValueError(f"Cannot read {queryset.model.__name__} in chunks by {term!r}.")
        keys.append((field.attname, descending))
    if keys[-1][0] != opts.pk.attname:
        raise ValueError("The order of chunks must end with the primary key.")
    ordered = queryset.order_by(*order)
    last = None
    while True:
        # One row more than the chunk tells whether another chunk follows, without a last
        # query that finds nothing.
        chunk = list((ordered.filter(_after(keys, last)) if last else ordered)[: size + 1])
        yield from chunk[:size]
        if len(chunk) <= size:
            return
        last = [getattr(chunk[size - 1], attname) for attname, _descending in keys]


def _after(keys, last) -> Q:
    """Rows after ``last`` in the order of ``keys``: (a > x) or (a = x and b > y) or ..."""
    condition = Q()
    for index, (attname, descending) in enumerate(keys):
        step = Q(**{f"{attname}__{'lt' if descending else 'gt'}": last[index]})
        for previous in range(index):
            step &= Q(**{keys[previous][0]: last[previous]})
        condition |= step
    return condition


# --- Admin exports --------------------------------------------------------------------------


def export_csv_action(
    fields: Sequence[str],
    *,
    filename: str,
    select_related: Sequence[str] = (),
    prefetch_related: Sequence[str] = (),
):
    """An admin action exporting the selected rows; ``fields`` are attribute paths (a__b).

    A column shows the human value: a choice's label, a country's name, a related object's
    text, the items of a many-to-many or reverse relation joined by ", ". The relations the
    columns go through are joined or prefetched; ``select_related`` and ``prefetch_related``
    add what a related object's text reads beyond its own row."""

    @admin.action(description=_("Export the selected rows to CSV"))
    def export_csv(modeladmin, request, queryset):
        # What the change list joins for each row's text is what the export's text needs too,
        # also when the queryset did not come from the change list.
        listed = modeladmin.list_select_related
        joined = [*select_related, *(listed if isinstance(listed, list | tuple) else ())]
        return csv_response(
            filename,
            export_header(modeladmin.model, fields),
            export_rows(queryset, fields, select_related=joined, prefetch_related=prefetch_related),
        )

    return export_csv


@dataclass(frozen=True, eq=False)
class Export:
    """One back-office export, declared once: the admin's CSV action (:meth:`action`) and the
    API's ``/exports/<name>`` endpoint (``ciep.api_support.declared_export_endpoint``) read the
    same ``fields`` (attribute paths, a__b, see :func:`export_csv_action`), so their columns
    cannot drift apart. ``edition`` is the lookup of the row's edition number, by which the API
    filters (``None`` when the rows belong to no edition)."""

    model: type[models.Model]
    fields: Sequence[str]
    filename: str
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    edition: str | None = None
    queryset: QuerySet | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        return self.filename.removesuffix(".csv")

    def action(self):
        action = export_csv_action(
            self.fields,
            filename=self.filename,
            select_related=self.select_related,
            prefetch_related=self.prefetch_related,
        )
        action.export = self  # which declaration an admin's action reads
        return action

    def header(self) -> list[str]:
        return export_header(self.model, self.fields)

    def all(self) -> QuerySet:
        """Every row of the export, with what its columns read joined and prefetched."""
        rows = self.queryset if self.queryset is not None else self.model._default_manager.all()
        return _fetching(rows, self._columns, self.select_related, self.prefetch_related)

    @property
    def _columns(self) -> list["_Column"]:
        return [_Column(self.model, path) for path in self.fields]

    def api_row(self, obj) -> dict:
        """``obj`` as one row of the API's export: its id, then each column under its path,
        as the CSV has it except that a choice and a country are their stored codes (the same
        in every language), a date an ISO date and an empty relation ``null``."""
        row = {"id": obj.pk}
        for column in self._columns_cached():
            row[column.path] = json_value(column.value(obj, codes=True))
        return row

    def _columns_cached(self) -> list["_Column"]:
        cached = self.__dict__.get("_cached_columns")
        if cached is None:
            cached = self._columns
            object.__setattr__(self, "_cached_columns", cached)
        return cached


def json_value(value):
    """A cell as a JSON value: numbers and booleans stay, dates are ISO, the rest is text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def export_header(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    opts = model._meta
    header = []
    for path in fields:
        try:
            field = opts.get_field(path.split("__")[0])
        except FieldDoesNotExist:
            header.append(path)
        else:
            # A reverse relation (booth__code) has no verbose name: name it by its model.
            name = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name
            header.append(name if "__" not in path else f"{name}: {path.split('__')[-1]}")
    return header


def export_rows(
    queryset: QuerySet,
    fields: Sequence[str],
    *,
    select_related: Sequence[str] = (),
    prefetch_related: Sequence[str] = (),
) -> Iterator[list]:
    """The rows of an export of ``queryset`` (in primary-key order), read in chunks."""
    columns = [_Column(queryset.model, path) for path in fields]
    queryset = _fetching(queryset, columns, select_related, prefetch_related)
    for obj in in_chunks(queryset):
        yield [column.value(obj) for column in columns]


def _fetching(queryset, columns, select_related, prefetch_related) -> QuerySet:
    """``queryset`` joining and prefetching what ``columns`` read, and the relations given."""
    joined = {path for column in columns for path in column.select_related}
    joined.update(select_related)
    prefetched = {path for column in columns for path in column.prefetch_related}
    prefetched.update(prefetch_related)
    if joined:
        queryset = queryset.select_related(*sorted(joined))
    if prefetched:
        queryset = queryset.prefetch_related(*sorted(prefetched))
    return queryset


class _Column:
    """One export column: how to read ``path`` from an object and which relations it needs.

    The path is followed through forward and reverse one-to-one and many-to-one relations
    (joined); at a many-to-many or reverse many-to-one relation, the rest of the path is read
    from each related object and the values are joined with ", " (prefetched). The last part
    is a field (a choice shows its label, a country its name), a related object (its text), a
    property or a method without arguments."""

    def __init__(self, model: type[models.Model], path: str):
        self.path = path
        self.parts = path.split("__")
        self.select_related: list[str] = []
        self.prefetch_related: list[str] = []
        relations: list[str] = []
        many = False
        self.last_field = None
        for index, part in enumerate(self.parts):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                break  # a property, a method or an annotation: nothing to fetch beyond here
            if not field.is_relation:
                if index == len(self.parts) - 1:
                    self.last_field = field
                break
            if field.related_model is None:
                break  # a generic foreign key cannot be joined
            relations.append(part)
            many = many or field.many_to_many or field.one_to_many
            model = field.related_model
        if relations:
            target = self.prefetch_related if many else self.select_related
            target.append("__".join(relations))
        self.labels = self._labels(self.last_field)
        self.country = isinstance(self.last_field, CountryField) and not self.last_field.multiple
        self.country_names: dict[str, str] = {}

    @staticmethod
    def _labels(field) -> dict | None:
        # get_FOO_display rebuilds the choices' dictionary on every call (for a country, every
        # country's translated name): build it once per export.
        if field is None or not field.choices or isinstance(field, CountryField):
            return None
        return {value: str(label) for value, label in field.flatchoices}

    def value(self, obj, *, codes: bool = False):
        """The cell of ``obj``; with ``codes``, a choice's or a country's stored code rather
        than its name, and ``None`` rather than "" where a relation on the path is empty."""
        return self._read(obj, self.parts, codes)

    def _read(self, obj, parts, codes=False):
        for index, part in enumerate(parts[:-1]):
            obj = getattr(obj, part, None)
            if obj is None:
                return None if codes else ""
            if isinstance(obj, models.Manager):
                rest = parts[index + 1 :]
                return ", ".join(str(self._read(item, rest, codes)) for item in obj.all())
        last = parts[-1]
        if codes and (self.country or self.labels is not None) and self.last_field.attname == last:
            value = obj.__dict__.get(self.last_field.attname) if obj is not None else None
            return None if value is None else str(value)
        if self.country:
            # The field's descriptor builds a Country, and its name a translated lookup, for
            # every row: read the stored code and name each country once.
            code = obj.__dict__.get(self.last_field.attname) if obj is not None else None
            if code is None:
                return getattr(obj, last, "")
            if code not in self.country_names:
                self.country_names[code] = str(getattr(obj, last).name)
            return self.country_names[code]
        value = getattr(obj, last, "")
        if self.labels is not None and self.last_field.attname == last:
            return self.labels.get(value, value)
        if isinstance(value, models.Manager):
            return ", ".join(str(item) for item in value.all())
        return value() if callable(value) else value
