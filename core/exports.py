"""CSV and XLSX downloads that a spreadsheet cannot turn into formulas.

A cell that starts with = + - @ (or a tab or carriage return) would run as a
formula when opened: CSV cells get a leading apostrophe, XLSX cells are stored
as text, never as formulas.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.utils import get_column_letter

from core.names import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return visible(str(value))


def csv_safe(value) -> str:
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> Response:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte-order mark, so spreadsheet programs read UTF-8
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def xlsx_response(
    filename: str, title: str, header: Sequence, rows: Iterable[Sequence]
) -> Response:
    return xlsx_workbook_response(filename, [(title, header, rows)])


def xlsx_workbook_response(
    filename: str, sheets: Sequence[tuple[str, Sequence, Iterable[Sequence]]]
) -> Response:
    """A workbook of several sheets, each (title, header, rows): one table per sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        _fill(workbook.create_sheet(title[:31]), header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _fill(sheet, header: Sequence, rows: Iterable[Sequence]) -> None:
    widest: dict[int, int] = {}
    for row in [header, *rows]:
        sheet.append([None] * len(row))
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.value = value
            else:
                cell.value = _text(value)
                cell.data_type = TYPE_STRING  # text, even when it looks like a formula
            widest[column] = max(widest.get(column, 0), len(str(cell.value or "")))
    # Opened as it comes, every column shows its longest text (up to a point) instead of
    # the spreadsheet's default of about nine characters.
    for column, length in widest.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(length, 8), 60) + 2
