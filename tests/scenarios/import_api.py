"""Shared by several test modules; first written for tests/test_import_api.py."""

import contextlib
import io
from datetime import UTC, datetime

from openpyxl import Workbook
from sqlalchemy import select

from extensions import db
from models.trainee import Trainee
from tests.factories import make_organisation

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


GOOD = [
    row("AZ-MES", "AZ-0001", "leytenant", "Əli Məmmədov", "1990-01-02", email="ali@example.org"),
    row("RU-EMERCOM", "RU-0001", "лейтенант", "Алексей Смирнов", "1991-02-03", "2029-06-30"),
    row("RU-EMERCOM", "RU-0002", "капитан", "Мария Смирнова", "1989-12-31", latin="Maria Smirnova"),
]


def setting(app, monkeypatch) -> None:
    """The import's day (2021-01-11) and its two organisations."""
    moment = datetime(2021, 1, 11, 9, 0, tzinfo=UTC)
    monkeypatch.setattr("core.clock.now", lambda: moment)
    make_organisation(app, "AZ-MES")
    make_organisation(app, "RU-EMERCOM", country="RU", language="ru")


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


def stored(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(
                Trainee.personal_number,
                Trainee.full_name_latin,
                Trainee.date_of_birth,
                Trainee.email,
                Trainee.medical_clearance_until,
            ).order_by(Trainee.personal_number)
        )
        return [tuple(row) for row in rows]


def upload(client, headers, content: bytes, filename: str):
    data = {"file": (io.BytesIO(content), filename)}
    return client.post(IMPORT, headers=headers, data=data, content_type="multipart/form-data")
