"""Spreadsheets for the import tests, as people would upload them."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook


def csv_upload(rows, *, encoding="utf-8-sig", name="rows.csv") -> SimpleUploadedFile:
    """``rows`` as a CSV file in ``encoding`` (with Excel's byte-order mark by default)."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, name="rows.xlsx") -> SimpleUploadedFile:
    """``rows`` as the first sheet of an Excel workbook (a cell "=..." is a formula)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def url(name, *args, language="en") -> str:
    """The address named ``name`` on the pages in ``language``."""
    with translation.override(language):
        return reverse(name, args=args)
