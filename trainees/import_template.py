"""The import template: the columns, which are required, their formats, the organisation codes.

The CSV carries the explanations as rows whose first cell starts with "#", which the
import skips, so the template itself can be filled in and uploaded as it is. The XLSX
keeps the first sheet for the trainees (the import reads only that one) and explains
the columns and the organisations on two more sheets.
"""

import csv
import io

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from sqlalchemy import select

from core.exports import csv_safe
from extensions import db
from models import Organisation
from trainees.importing import COLUMNS

REQUIRED = {"organisation_code", "personal_number", "rank", "full_name", "date_of_birth"}
REQUIRED |= {"medical_clearance_until"}
FORMATS = {
    "organisation_code": _l("One of the organisation codes listed below."),
    "personal_number": _l("Text, at most 30 characters; unique within the organisation."),
    "rank": _l("Text, at most 80 characters."),
    "full_name": _l("The name as the trainee writes it, at most 200 characters."),
    "full_name_latin": _l("Latin letters; left empty, it is transliterated (ICAO)."),
    "date_of_birth": _l("A date, YYYY-MM-DD."),
    "email": _l("An e-mail address, a different one for each trainee."),
    "medical_clearance_until": _l("A date, YYYY-MM-DD: the last day of the medical clearance."),
}


def _organisations() -> list[tuple[str, str]]:
    statement = select(Organisation.code, Organisation.name).order_by(Organisation.code)
    rows = db.session.execute(statement)
    return [tuple(row) for row in rows]


def _required(column: str) -> str:
    return _("required") if column in REQUIRED else _("optional")


def template_csv() -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte-order mark, so spreadsheet programs read UTF-8
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(["# " + _("Required or optional:")] + [_required(c) for c in COLUMNS[1:]])
    writer.writerow(["# " + _("Format:")] + [str(FORMATS[c]) for c in COLUMNS[1:]])
    writer.writerow(
        ["# organisation_code: " + _required(COLUMNS[0]) + ". " + str(FORMATS[COLUMNS[0]])]
    )
    for code, name in _organisations():
        writer.writerow([csv_safe(f"# {code} = {name}")])
    return buffer.getvalue().encode()


def _append_text(sheet, values) -> None:
    sheet.append([None] * len(values))
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=sheet.max_row, column=column)
        cell.value = str(value)
        cell.data_type = TYPE_STRING  # an organisation's name is never run as a formula


def template_xlsx() -> bytes:
    workbook = Workbook()
    trainees = workbook.active
    trainees.title = _("Trainees")[:31]
    trainees.append(list(COLUMNS))
    for cell in trainees[1]:
        cell.font = Font(bold=cell.value in REQUIRED)
    columns = workbook.create_sheet(_("Columns")[:31])
    _append_text(columns, [_("Column"), _("Required or optional"), _("Format")])
    for column in COLUMNS:
        _append_text(columns, [column, _required(column), FORMATS[column]])
    organisations = workbook.create_sheet(_("Organisations")[:31])
    _append_text(organisations, ["organisation_code", _("Name")])
    for code, name in _organisations():
        _append_text(organisations, [code, name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
