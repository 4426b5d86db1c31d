"""Bulk import of trainees from CSV or XLSX: every row or none.

Every row is checked before anything is written, duplicates inside the file too,
and each bad row is reported with its row number (as a spreadsheet shows it, the
header being row 1), the field and the reason.
"""

import csv
import io
import zipfile
from collections import defaultdict
from datetime import date, datetime

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from openpyxl import load_workbook
from sqlalchemy import select

from core.errors import Invalid
from extensions import db
from models import Organisation
from models.trainee import Trainee
from trainees.registry import FIELDS, clean, looked_up_by

COLUMNS = (
    "organisation_code",
    "personal_number",
    "rank",
    "full_name",
    "full_name_latin",
    "date_of_birth",
    "email",
    "medical_clearance_until",
)
MAX_ROWS = 10_000
NUL_MESSAGE = _l("This cell holds a NUL character, which is not text: remove it.")


class ImportRefused(Invalid):
    """Nothing was imported; `errors` lists every bad row."""

    def __init__(self, message, errors: list[dict]):
        super().__init__(message, errors=errors)
        self.errors = errors


def read_rows(filename: str, content: bytes) -> list[dict]:
    """The file's rows as dicts keyed by column name (the header row names them)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.endswith(".csv") or not name:
        return _csv_rows(content)
    raise ImportRefused(_l("Upload a .csv or .xlsx file."), [])


def _csv_rows(content: bytes) -> list[dict]:
    try:
        text = content.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError as error:
        raise ImportRefused(_l("The CSV file is not UTF-8 text."), []) from error
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list] = []
    try:
        rows.extend(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:  # a cell beyond the csv module's limit (128 KiB)
        number = len(rows) + 1
        message = _l("Row %(row)d has a cell far longer than any field may be.", row=number)
        raise ImportRefused(
            message, [{"row": number, "field": "", "message": str(message)}]
        ) from error
    return _keyed(rows)


def _refuse_zip_bomb(content: bytes) -> None:
    """Refuse a workbook that would unpack beyond the limit, from the zip's own sizes.

    An XLSX is a zip: 1.3 MB can unpack to gigabytes. The sizes its directory declares
    are checked before anything is inflated, and the zip reader never inflates an
    entry beyond its declared size, so memory stays bounded.
    """
    limit = current_app.config["IMPORT_MAX_UNPACKED_BYTES"]
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportRefused(_l("The file is not a readable XLSX workbook."), []) from error
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limit or len(entries) > 10_000:
        raise ImportRefused(
            _l(
                "The workbook would unpack to %(size)s MB, more than the %(limit)s MB "
                "an import may hold: save it again without unused sheets, or split it.",
                size=format_decimal(round(unpacked / 1_000_000, 1)),
                limit=format_decimal(round(limit / 1_000_000)),
            ),
            [],
        )


def _xlsx_rows(content: bytes) -> list[dict]:
    _refuse_zip_bomb(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable file gets the same answer
        raise ImportRefused(_l("The file is not a readable XLSX workbook."), []) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _keyed(rows)


def _keyed(rows: list[list]) -> list[dict]:
    if not rows:
        raise ImportRefused(_l("The file is empty."), [])
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportRefused(
            _l("Columns missing from the header row: %(columns)s.", columns=", ".join(missing)),
            [],
        )
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise ImportRefused(_l("At most %(n)d rows in one file.", n=MAX_ROWS), [])
    keyed, nul = [], []
    for number, row in enumerate(body, start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue  # blank lines at the end of a spreadsheet
        if str(row[0] or "").startswith("#"):
            continue  # the template's notes on the columns and organisation codes
        values = {
            column: row[header.index(column)] if header.index(column) < len(row) else None
            for column in COLUMNS
        }
        # NUL is no text: SQLite would store it, PostgreSQL refuses it without the row.
        nul += [
            {"row": number, "field": column, "message": str(NUL_MESSAGE)}
            for column, value in values.items()
            if isinstance(value, str) and "\x00" in value
        ]
        keyed.append({"row": number, **values})
    if nul:
        raise ImportRefused(_l("Nothing was imported: some cells hold a NUL character."), nul)
    if not keyed:
        raise ImportRefused(_l("The file has a header but no trainees."), [])
    return keyed


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _blank(value) -> bool:
    return value is None or not str(value).strip()


def import_trainees(rows: list[dict]) -> list[Trainee]:
    """Check every row, then add them all; ImportRefused with every bad row otherwise."""
    codes = {
        o.code: o.id for o in db.session.scalars(select(Organisation).order_by(Organisation.code))
    }
    # Typed by hand in a spreadsheet: "az-mes" is AZ-MES, unless another code is az-mes.
    by_case = defaultdict(list)
    for code, organisation_id in codes.items():
        by_case[code.casefold()].append(organisation_id)

    def organisation_of(code: str) -> int | None:
        found = by_case.get(code.casefold(), [])
        return codes.get(code) or (found[0] if len(found) == 1 else None)

    # Compared without case, as the registry does: "fhn-1004" is FHN-1004.
    taken_numbers = {
        (organisation_id, number.lower())
        for organisation_id, number in db.session.execute(
            select(Trainee.organisation_id, Trainee.personal_number)
        )
    }
    taken_emails = set(db.session.scalars(select(Trainee.email).where(Trainee.email.is_not(None))))
    errors: list[dict] = []
    seen_numbers: dict[tuple, int] = {}
    seen_emails: dict[str, int] = {}
    ready = []

    def refuse(row: int, field: str, message) -> None:
        errors.append({"row": row, "field": field, "message": str(message)})

    for raw in rows:
        row = raw["row"]
        code = str(raw["organisation_code"] or "").strip()
        values = {name: raw[name] for name in COLUMNS if name != "organisation_code"}
        for name in ("date_of_birth", "medical_clearance_until"):
            parsed = _as_date(raw[name])
            if parsed is None and _blank(raw[name]):
                refuse(row, name, _l("This field is required."))
            elif parsed is None:
                refuse(row, name, _l("%(value)s is not a date (YYYY-MM-DD).", value=raw[name]))
            values[name] = parsed
        for name in ("personal_number", "rank", "full_name", "full_name_latin", "email"):
            values[name] = "" if raw[name] is None else str(raw[name])
        values["organisation_id"] = organisation_of(code)
        if values["organisation_id"] is None:
            refuse(
                row,
                "organisation_code",
                _l(
                    "No organisation has the code %(code)s. The codes are: %(codes)s.",
                    code=code or "—",
                    codes=", ".join(codes),
                ),
            )
        cleaned, problems = clean(values)
        for field, messages in problems.items():
            if field in ("date_of_birth", "medical_clearance_until") and values[field] is None:
                continue  # already reported above
            for message in messages:
                refuse(row, field, message)
        key = (cleaned["organisation_id"], cleaned["personal_number"].lower())
        if cleaned["organisation_id"] is not None and cleaned["personal_number"]:
            if key in taken_numbers:
                refuse(
                    row,
                    "personal_number",
                    _l(
                        "%(organisation)s already has a trainee with this personal number.",
                        organisation=code,
                    ),
                )
            elif key in seen_numbers:
                refuse(
                    row,
                    "personal_number",
                    _l("The same personal number is on row %(row)d.", row=seen_numbers[key]),
                )
            seen_numbers.setdefault(key, row)
        email = cleaned.get("email")
        if email:
            if email in taken_emails:
                refuse(row, "email", _l("Another trainee has this e-mail."))
            elif email in seen_emails:
                refuse(
                    row, "email", _l("The same e-mail is on row %(row)d.", row=seen_emails[email])
                )
            seen_emails.setdefault(email, row)
        ready.append(cleaned)
    if errors:
        raise ImportRefused(
            _ln(
                "Nothing was imported: %(num)d problem in the file.",
                "Nothing was imported: %(num)d problems in the file.",
                len(errors),
            ),
            errors,
        )
    trainees = [
        Trainee(**{name: values[name] for name in FIELDS}, **looked_up_by(values))
        for values in ready
    ]
    db.session.add_all(trainees)
    db.session.flush()
    return trainees
