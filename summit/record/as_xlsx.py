"""The record as a workbook (openpyxl): one sheet per table, as in the CSV bundle.

Written in openpyxl's write-only mode, which keeps rows on disk rather than in memory."""

from __future__ import annotations

import io

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from summit.record.blocks import joined
from summit.record.contents import Record
from summit.record.tables import tables
from summit.record.walk import record_title


def _value(sheet, value):
    """A value as the sheet stores it: text stays text even when it starts with "=", which
    would otherwise be written as a formula."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Promise):  # a label marked for translation, in the record's language
        value = str(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx(record: Record) -> bytes:
    book = Workbook(write_only=True)
    book.properties.title = joined(record_title(record))
    bold = Font(bold=True)
    for table in tables(record):
        sheet = book.create_sheet(table.title[:31])
        sheet.freeze_panes = "A2"
        head = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in table.rows(record):
            sheet.append([_value(sheet, row[column]) for column in table.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
