"""Bulk imports from a spreadsheet: the template, the reading, the preview and the confirmation.

An area describes what one row of its import holds with an :class:`ImportSchema` (its
columns, how a row is checked, how the checked rows are saved through its own services); the
core does the rest, the same for every import:

- the **template** (:func:`template_csv`, :func:`template_xlsx`): the columns' headers in the
  page's language and one example row; the CSV starts with a UTF-8 byte-order mark, so Excel
  shows Chinese;
- the **reading** (:func:`read_table`): a file of at most ``MAX_BYTES``, recognised by its
  content (an .xlsx is a ZIP holding ``xl/workbook.xml``; anything else with a NUL byte is
  refused; a CSV is UTF-8, with or without the mark, or GB18030), at most ``MAX_ROWS`` rows.
  Headers are recognised in English or Chinese whatever the page's language. Formulas are
  never evaluated: a cell holding one is an error that asks for the value itself;
- the **preview** (:func:`build_preview`): every bad cell with its row (the spreadsheet's own
  row number), its column and what is wrong, in the page's language, and the good rows;
- the **batch** (``ciep.models.ImportBatch``): the cells as read, kept in the database for
  the person who uploaded them until they confirm (:func:`import_batch_create`), so that any
  application server answers; the rows are checked again when it is confirmed
  (:func:`import_batch_confirm`), all saved in one transaction or none, once.

The pages of the flow are in ``ciep.import_pages``.
"""

import csv
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Field, ImportBatch, User

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
# The rows of a sheet read at most, empty ones included (formatting can stretch a sheet).
MAX_SHEET_ROWS = 20_000
# An .xlsx is a ZIP: what its parts would take once decompressed is capped as well.
MAX_XLSX_UNPACKED = 40 * 1024 * 1024
# Pending batches older than this are deleted when someone uploads the next one.
BATCH_LIFETIME = timedelta(days=1)
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW_ERROR = "__row__"  # the "column" of an error about the whole row
LIST_SEPARATORS = (";", "；", ",", "，", "、")


@dataclass(frozen=True)
class Column:
    """One column of an import: ``key`` names it (and is accepted as a header too), ``label``
    is its header, ``example`` the template's example cell, ``help`` what it takes."""

    key: str
    label: str | Promise
    required: bool = False
    example: str | Promise = ""
    help: str | Promise = ""
    choices: tuple | list = ()  # the labels a cell may hold (its codes are read too)


class ImportSchema:
    """What one import reads; an area subclasses it once per import.

    ``key`` is stored with each batch ("<app>.<what>"); ``scope`` is the object the rows are
    imported into (a delegation, a hall, an edition), named in the batch by
    :meth:`scope_key`.
    """

    key: str = ""
    title: str | Promise = ""
    columns: tuple[Column, ...] = ()
    file_stem: str = "import"

    def may_import(self, user, scope) -> bool:
        """Whether ``user`` may import into ``scope`` (asked by the pages and the confirmation)."""
        raise NotImplementedError

    def scope_key(self, scope) -> str:
        return f"{scope._meta.model_name}:{scope.pk}"

    def context(self, scope) -> dict:
        """What checking the rows needs once rather than for each row (lookup tables); the
        rows are checked with it and ``"user"``, the person importing."""
        return {}

    def examples(self, scope) -> dict:
        """The example row of the template, column key -> cell (the columns' own by default)."""
        return {column.key: str(column.example) for column in self.columns}

    def clean_row(self, values: dict, *, scope, context: dict):
        """Check one row (column key -> text); return what :meth:`save` needs, or raise a
        ``ValidationError`` whose dict names the columns (``ROW_ERROR`` for the whole row)."""
        raise NotImplementedError

    def clean_rows(self, rows: list, *, scope, context: dict) -> dict:
        """Checks across rows (the same code twice in the file): {row number: {column key:
        [messages]}}. ``rows`` are (row number, cleaned) pairs of the rows valid alone."""
        return {}

    def save(self, cleaned: list, *, scope, by: User) -> list:
        """Save the checked rows through the area's services (inside the caller's
        transaction) and return what they created."""
        raise NotImplementedError

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


# --- Helpers for the areas' schemas ----------------------------------------------------------


def _fold(text) -> str:
    return " ".join(str(text).split()).casefold()


def in_every_language(text) -> set[str]:
    """``text`` (a lazy translation) folded, in each of the portal's languages."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(_fold(text))
    return names


def choice_lookup(choices) -> dict[str, str]:
    """Folded code and label (in every language) -> value, for a ``TextChoices``' choices."""
    lookup = {}
    for value, label in choices:
        lookup[_fold(value)] = value
        for name in in_every_language(label):
            lookup[name] = value
    return lookup


def split_list(text: str) -> list[str]:
    """The items of a cell that holds several ("5g; biomedicine", "5G、生物医药")."""
    for separator in LIST_SEPARATORS[1:]:
        text = text.replace(separator, LIST_SEPARATORS[0])
    return [item.strip() for item in text.split(LIST_SEPARATORS[0]) if item.strip()]


def look_up(text: str, lookup: dict, *, unknown: str):
    """The value ``text`` names in ``lookup`` (folded), or a ``ValidationError(unknown)``."""
    try:
        return lookup[_fold(text)]
    except KeyError:
        raise ValidationError(unknown % {"value": text}) from None


def field_lookup() -> dict:
    """Every professional field by its slug and its names in both languages (folded) -> its
    id, for a column that names fields."""
    lookup = {}
    for row in Field.objects.all():
        for name in (row.slug, row.name_en, row.name_zh):
            if name:
                lookup[_fold(name)] = row.pk
    return lookup


def country_lookup() -> dict:
    """Every country or region by its code and its names in both languages (folded)."""
    from django_countries import countries

    lookup = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for country in countries:
                lookup[_fold(country.code)] = country.code
                lookup[_fold(country.name)] = country.code
    return lookup


def checked_by_form(make_form, values: dict, *, lookups: dict | None = None, lists=()):
    """Check a row with the form that checks one item entered by hand, so an imported item
    follows the same rules.

    ``values`` are the row's cells by column key (the form's field names); a cell whose key
    is in ``lookups`` ({key: (lookup, "unknown %(value)s" message)}) becomes the value it
    names, several of them for a key in ``lists``. Returns the valid form made by
    ``make_form(data)``, or raises a ``ValidationError`` naming the columns.
    """
    errors, data = {}, dict(values)
    for key, (lookup, unknown) in (lookups or {}).items():
        items = split_list(values[key]) if key in lists else [values[key]] * bool(values[key])
        found = []
        for item in items:
            try:
                found.append(look_up(item, lookup, unknown=unknown))
            except ValidationError as error:
                errors.setdefault(key, []).extend(error.messages)
        data[key] = found if key in lists else (found[0] if found else "")
    form = make_form(data)
    if not form.is_valid():
        for name, messages in form.errors.items():
            errors.setdefault(ROW_ERROR if name == "__all__" else name, list(messages))
    if errors:
        raise ValidationError(errors)
    return form


# --- Templates -------------------------------------------------------------------------------


def template_header(schema: ImportSchema) -> list[str]:
    return [str(column.label) + (" *" if column.required else "") for column in schema.columns]


def _template_rows(schema: ImportSchema, scope) -> list[list[str]]:
    examples = schema.examples(scope)
    return [template_header(schema), [examples.get(column.key, "") for column in schema.columns]]


def template_csv(schema: ImportSchema, scope) -> bytes:
    """The CSV template: UTF-8 with a byte-order mark (Excel then reads Chinese), the headers
    in the active language and one example row."""
    out = io.StringIO()
    csv.writer(out).writerows(_template_rows(schema, scope))
    return "\ufeff".encode() + out.getvalue().encode()


def template_xlsx(schema: ImportSchema, scope) -> bytes:
    """The same template as an Excel workbook, every cell text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(schema.title)[:31] or "import"
    for row in _template_rows(schema, scope):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.number_format = "@"
    for index, _column in enumerate(schema.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading a file --------------------------------------------------------------------------


@dataclass
class Table:
    """The cells of a file: its header and its non-empty rows (row number, cells); a formula
    cell is ``{"f": text}``."""

    header: list[str]
    rows: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {"header": self.header, "rows": self.rows}

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(header=list(data.get("header", [])), rows=list(data.get("rows", [])))


def _text(value) -> str | dict:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return {"f": text} if text.startswith("=") else text


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError(_("The file is not a readable Excel workbook.")) from None
    if "xl/workbook.xml" not in names:
        raise ValidationError(_("The file is not an Excel workbook (.xlsx)."))
    if unpacked > MAX_XLSX_UNPACKED:
        raise ValidationError(_("The workbook is too large once unpacked."))
    try:
        # Formulas stay formulas (data_only=False): nothing in the file is evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows, filled = [], 0
        for row in sheet.iter_rows():
            cells = [_text(cell.value) for cell in row]
            rows.append(cells)
            filled += any(cell != "" for cell in cells)
            if filled > MAX_ROWS + 1:
                break  # enough to say the file is too long
            if len(rows) > MAX_SHEET_ROWS:
                raise _too_long()
        workbook.close()
    except ValidationError:
        raise
    except Exception:  # whatever a malformed or hostile workbook makes openpyxl raise
        raise ValidationError(_("The file is not a readable Excel workbook.")) from None
    return rows


def _too_long() -> ValidationError:
    return ValidationError(
        _("The sheet has more than %(max)d rows, empty ones included: delete those below the data.")
        % {"max": MAX_SHEET_ROWS}
    )


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file's text is neither UTF-8 nor GB18030: save it again as CSV (UTF-8).")
        ) from None


def _csv_rows(data: bytes) -> list[list]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return [
            [_text(cell) for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error:
        raise ValidationError(_("The file is not a readable CSV file.")) from None


def read_table(upload) -> Table:
    """Read an uploaded .csv or .xlsx file (recognised by its content, not its name) into a
    :class:`Table`; a file that cannot be one is a ``ValidationError``."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _too_large()
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_large()
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data)
    elif b"\x00" in data:
        raise ValidationError(_("Upload a CSV file or an Excel workbook (.xlsx)."))
    else:
        rows = _csv_rows(data)
    numbered = [
        [number, row] for number, row in enumerate(rows, start=1) if any(cell != "" for cell in row)
    ]
    if not numbered:
        raise ValidationError(_("The file is empty."))
    (_number, header), body = numbered[0], numbered[1:]
    if len(body) > MAX_ROWS:
        raise ValidationError(
            _("The file has %(count)d rows; import at most %(max)d at a time.")
            % {"count": len(body), "max": MAX_ROWS}
        )
    return Table(header=[_cell_text(cell) for cell in header], rows=body)


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
    )


def _cell_text(cell) -> str:
    return cell["f"] if isinstance(cell, dict) else cell


# --- The preview -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the column's header, or empty for the whole row
    message: str
    position: int = -1  # the column's place in the schema, for the order of the list


@dataclass
class Preview:
    """What a file would import: its errors (file, then cells) and its good rows."""

    columns: list
    file_errors: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    good_rows: list = field(default_factory=list)  # (row number, [cells in column order])
    cleaned: list = field(default_factory=list)  # what ``save`` takes, for the good rows

    @property
    def valid(self) -> bool:
        return not self.file_errors and not self.errors and bool(self.cleaned)

    @property
    def bad_row_count(self) -> int:
        return len({error.row for error in self.errors})


def _header_keys(schema: ImportSchema) -> dict[str, str]:
    names = {}
    for column in schema.columns:
        names[_fold(column.key)] = column.key
        for name in in_every_language(column.label):
            names[name] = column.key
    return names


def build_preview(schema: ImportSchema, table: Table, *, scope, user) -> Preview:
    """Check every row of ``table`` for ``schema``, imported by ``user`` into ``scope``, in
    the active language."""
    preview = Preview(columns=list(schema.columns))
    names = _header_keys(schema)
    positions = {}
    for index, header in enumerate(table.header):
        name = _fold(header).rstrip("*").strip()
        if not name:
            continue
        key = names.get(name)
        if key is None:
            preview.file_errors.append(
                _("The column “%(name)s” is not one of this import's.") % {"name": header}
            )
        elif key in positions:
            preview.file_errors.append(_("The column “%(name)s” appears twice.") % {"name": header})
        else:
            positions[key] = index
    for column in schema.columns:
        if column.required and column.key not in positions:
            preview.file_errors.append(
                _("The column “%(name)s” is missing.") % {"name": column.label}
            )
    if not table.rows:
        preview.file_errors.append(_("The file has no rows under its header."))
    if preview.file_errors:
        return preview
    context = {**schema.context(scope), "user": user}
    valid = []
    for number, cells in table.rows:
        values, row_errors = {}, []
        for column in schema.columns:
            index = positions.get(column.key)
            cell = cells[index] if index is not None and index < len(cells) else ""
            if isinstance(cell, dict):
                row_errors.append(
                    CellError(
                        number,
                        str(column.label),
                        _("A formula is not read: type the value itself."),
                        schema.columns.index(column),
                    )
                )
                cell = ""
            values[column.key] = cell.strip()
        try:
            cleaned = schema.clean_row(values, scope=scope, context=context)
        except ValidationError as error:
            row_errors += _cell_errors(schema, number, error)
        if row_errors:
            preview.errors += row_errors
            continue
        valid.append((number, cleaned, [values[column.key] for column in schema.columns]))
    across = schema.clean_rows([(n, c) for n, c, _v in valid], scope=scope, context=context)
    for number, cleaned, shown in valid:
        if number in across:
            preview.errors += _cell_errors(schema, number, ValidationError(across[number]))
            continue
        preview.good_rows.append((number, shown))
        preview.cleaned.append(cleaned)
    preview.errors.sort(key=lambda error: (error.row, error.position))
    return preview


def _cell_errors(schema: ImportSchema, number: int, error: ValidationError) -> list[CellError]:
    if not hasattr(error, "error_dict"):
        return [CellError(number, "", message) for message in error.messages]
    found = []
    for key, errors in error.error_dict.items():
        column = schema.column(key)
        label = str(column.label) if column else ""
        position = schema.columns.index(column) if column else -1
        for message in ValidationError(errors).messages:
            found.append(CellError(number, label, message, position))
    return found


# --- Services --------------------------------------------------------------------------------


def import_batch_create(*, schema: ImportSchema, scope, table: Table, file_name: str, by: User):
    """Keep a valid file's cells for ``by`` until they confirm its import; pending batches
    older than ``BATCH_LIFETIME`` are deleted. Only those who may import into ``scope``."""
    if not schema.may_import(by, scope):
        raise PermissionDenied
    with transaction.atomic():
        ImportBatch.objects.filter(
            confirmed_at__isnull=True, created_at__lt=timezone.now() - BATCH_LIFETIME
        ).delete()
        return ImportBatch.objects.create(
            token=uuid.uuid4(),
            user=by,
            schema=schema.key,
            scope=schema.scope_key(scope),
            file_name=file_name[:200],
            table=table.as_json(),
        )


def import_batch_confirm(*, batch: ImportBatch, schema: ImportSchema, scope, by: User) -> tuple:
    """Import every row of ``batch`` through the schema's services, in one transaction.

    Only the person who uploaded it, while they may import into ``scope``. The rows are
    checked again (what they name may have changed since the preview); any error imports
    nothing (a ``ValidationError``). The batch row is locked: a second confirmation (a
    double click, two tabs) waits for the first and then imports nothing. Returns the batch
    and whether this call imported it.
    """
    if (
        batch.user_id != by.pk
        or batch.schema != schema.key
        or batch.scope != schema.scope_key(scope)
        or not schema.may_import(by, scope)
    ):
        raise PermissionDenied
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.confirmed_at is not None:
            return batch, False
        preview = build_preview(schema, Table.from_json(batch.table), scope=scope, user=by)
        if not preview.valid:
            raise ValidationError(
                _("The file no longer imports as it did: upload it again to see why.")
            )
        created = schema.save(preview.cleaned, scope=scope, by=by)
        batch.confirmed_at = timezone.now()
        batch.created_count = len(created)
        batch.save(update_fields=["confirmed_at", "created_count"])
    return batch, True


# Shown on the upload pages under the columns' table.
LIMITS_TEXT = gettext_lazy(
    "A CSV file (UTF-8 or GB18030) or an Excel workbook (.xlsx), at most %(size)d MB and "
    "%(rows)d rows. The first row names the columns, in English or Chinese; formulas are not "
    "read. Nothing is saved until you confirm."
)


def limits_text() -> str:
    return LIMITS_TEXT % {"size": MAX_BYTES // (1024 * 1024), "rows": MAX_ROWS}
