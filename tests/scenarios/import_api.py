"""Shared by several test modules; first written for tests/test_import_api.py."""

import contextlib
import io
from datetime import datetime

from openpyxl import Workbook

IMPORT = "/api/v1/trainees/import"

HEADER = [
    "organisation_code",
    "personal_number",
    "rank",
    "full_name",
    "full_name_latin",
    "date_of_birth",
    "email",
    "medical_clearance_until",
]


def row(org, number, rank, name, born, clearance="2030-01-01", email="", latin=""):
    """One row in HEADER order."""
    return [org, number, rank, name, latin, born, email, clearance]


def csv_bytes(rows, delimiter=",", bom=False, newline="\n") -> bytes:
    text = newline.join(delimiter.join(row) for row in [HEADER, *rows]) + newline
    return ("\ufeff" if bom else "").encode() + text.encode()


def xlsx_bytes(rows) -> bytes:
    """A workbook as Excel makes it: ISO date text becomes real date cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        cells = []
        for name, value in zip(HEADER, row, strict=True):
            if name in ("date_of_birth", "medical_clearance_until") and value[:1].isdigit():
                with contextlib.suppress(ValueError):  # else text, as a mistyped cell
                    value = datetime.fromisoformat(value)
            cells.append(value if value != "" else None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, headers, content: bytes, filename: str):
    data = {"file": (io.BytesIO(content), filename)}
    return client.post(IMPORT, headers=headers, data=data, content_type="multipart/form-data")
