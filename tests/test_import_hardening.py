"""Imports that lie about their size or content are refused at once, with the row."""

import io
import tracemalloc
import zipfile

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Role, Trainee
from tests.factories import make_organisation
from tests.scenarios.import_api import csv_bytes, row, upload, xlsx_bytes


@pytest.fixture
def admin(app, accounts):
    make_organisation(app, "AZ-MES")
    return accounts.bearer(Role.ADMIN)


def trainees(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Trainee))


def zip_bomb(megabytes: int) -> bytes:
    """A real workbook whose first sheet inflates to `megabytes` MB of blanks."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in good.infolist():
            data = good.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(entry.filename, "w") as sheet:
                    sheet.write(data.replace(b"<sheetData>", b"<sheetData>" + b" " * 10))
                    for _ in range(megabytes):
                        sheet.write(b" " * 1_000_000)
            else:
                bomb.writestr(entry, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_at_once_with_bounded_memory(app, client, admin):
    content = zip_bomb(200)
    assert len(content) < 1_000_000  # small on the wire, 200 MB unpacked
    tracemalloc.start()
    answer = upload(client, admin, content, "trainees.xlsx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert answer.status_code == 422, answer.text
    message = answer.json["error"]["message"]
    assert "would unpack to 200" in message and "more than the 50 MB" in message
    assert peak < 20_000_000
    assert trainees(app) == 0


def test_a_workbook_under_the_limit_still_imports(app, client, admin):
    rows = [row("AZ-MES", "AZ-0001", "leytenant", "Əli Məmmədov", "1990-01-02")]
    answer = upload(client, admin, xlsx_bytes(rows), "trainees.xlsx")
    assert answer.status_code == 201, answer.text


def upload_raw(client, headers, content: bytes, filename: str):
    """A multipart body built by hand: the test client spools big ones to a file it leaks."""
    boundary = "----training-import-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        "/api/v1/trainees/import",
        headers=headers,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_a_fifteen_megabyte_csv_cell_answers_422_naming_the_row(app, client, admin):
    rows = [
        row("AZ-MES", "AZ-0001", "leytenant", "Əli Məmmədov", "1990-01-02"),
        row("AZ-MES", "AZ-0002", "x" * 15_000_000, "Rauf Əliyev", "1990-01-02"),
    ]
    answer = upload_raw(client, admin, csv_bytes(rows), "trainees.csv")
    assert answer.status_code == 422, answer.text[:500]
    (error,) = answer.json["error"]["errors"]
    assert error["row"] == 3
    assert error["message"] == "Row 3 has a cell far longer than any field may be."
    assert trainees(app) == 0


def test_a_nul_byte_in_a_csv_cell_is_refused_with_its_row(app, client, admin):
    rows = [
        row("AZ-MES", "AZ-0001", "leytenant", "Əli Məmmədov", "1990-01-02"),
        row("AZ-MES", "AZ-0002", "ley\x00tenant", "Rauf Əliyev", "1990-01-02"),
    ]
    answer = upload(client, admin, csv_bytes(rows), "trainees.csv")
    assert answer.status_code == 422, answer.text
    assert answer.json["error"]["errors"] == [
        {
            "row": 3,
            "field": "rank",
            "message": "This cell holds a NUL character, which is not text: remove it.",
        }
    ]
    assert trainees(app) == 0
