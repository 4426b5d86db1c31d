"""Printable attendance sheets, read back from the PDF (pypdf and pdftotext)."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from models import Role
from tests.factories import freeze
from tests.scenarios.attendance_api import TODAY, make_setup
from tests.scenarios.documents import text_of

NAMES = [("Əliyev Rauf", "Aliyev Rauf"), ("Орлов Иван", "Orlov Ivan")]


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    return make_setup(app, accounts, names=NAMES)


def pdf_of(response) -> bytes:
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/pdf"
    return response.data


def test_days_sheet_is_a4_with_both_scripts_a_signature_column_course_and_date(
    client, accounts, setup
):
    accounts.login(setup.instructor)
    data = pdf_of(client.get(f"/courses/{setup.id}/attendance/2021-01-14/print"))
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = " ".join(text_of(data).split())
    for name in ("Əliyev Rauf", "Aliyev Rauf", "Орлов Иван", "Orlov Ivan"):
        assert name in text
    assert "Signature" in text
    assert "AGH-1 · Course AGH-1" in text
    assert "Thursday, January 14, 2021" in text
    assert "Rəşad Quliyev" in text  # the instructor, who signs the sheet


def test_blank_week_sheet_has_a_column_per_training_day(client, accounts, setup):
    accounts.login_as(Role.ADMIN)
    data = pdf_of(client.get(f"/courses/{setup.id}/attendance/2021-01-13/print-week"))
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = " ".join(text_of(data).split())
    assert "Mon Tue Wed Thu Fri Sat" in text
    assert "11 Jan 12 Jan 13 Jan 14 Jan 15 Jan 16 Jan" in text
    assert "Sun" not in text and "17 Jan" not in text  # the programme's rest day
    assert "Orlov Ivan" in text and "Орлов Иван" in text


def test_a_rest_day_or_cancelled_day_has_no_sheet_to_print(client, accounts, setup):
    admin = accounts.bearer()
    cancel = client.post(
        f"/api/v1/courses/{setup.id}/days/2021-01-15/cancel",
        headers=admin,
        json={"reason": "Storm", "make_up": True},
    )
    assert cancel.status_code == 200
    accounts.login_as(Role.ADMIN)
    rest = client.get(f"/courses/{setup.id}/attendance/2021-01-17/print")
    assert rest.status_code == 404
    assert "Jan 17, 2021 is a rest day of this course." in rest.get_data(as_text=True)
    cancelled = client.get(f"/courses/{setup.id}/attendance/2021-01-15/print")
    assert cancelled.status_code == 404
    said = cancelled.get_data(as_text=True)
    assert "Jan 15, 2021 was cancelled (Storm): no training that day." in said
    week = client.get(f"/courses/{setup.id}/attendance/2021-03-10/print-week")
    assert week.status_code == 404
    assert "The course has no training day in the week of Mar 10, 2021." in week.text


def test_another_instructor_may_not_print_the_sheet(client, accounts, setup):
    accounts.login_as(Role.INSTRUCTOR)
    assert client.get(f"/courses/{setup.id}/attendance/2021-01-14/print").status_code == 403
    assert client.get(f"/courses/{setup.id}/attendance/2021-01-14/print-week").status_code == 403


def test_grid_links_to_the_printable_sheets(client, accounts, setup):
    accounts.login(setup.instructor)
    page = client.get(f"/courses/{setup.id}/attendance").get_data(as_text=True)
    assert f"/courses/{setup.id}/attendance/{TODAY.isoformat()}/print" in page
    assert f"/courses/{setup.id}/attendance/{TODAY.isoformat()}/print-week" in page
    assert date(2021, 1, 13) == TODAY


def test_a_russian_sheet_names_the_course_and_place_in_russian_and_escapes_them(
    app, client, accounts, setup
):
    """The headings were Russian and the course's title and place English beside them."""
    from extensions import db
    from models import Course

    with app.app_context():
        course = db.session.get(Course, setup.id)
        course.title = "Demining & EOD <basic>"
        course.title_i18n = {"ru": "Разминирование и ОВБ <базовый>"}
        course.location_i18n = {"ru": "Учебный полигон в Агдаме"}
        db.session.commit()
    accounts.login(setup.instructor)
    data = pdf_of(client.get(f"/courses/{setup.id}/attendance/2021-01-14/print?lang=ru"))
    text = " ".join(text_of(data).split())
    assert "AGH-1 · Разминирование и ОВБ <базовый>" in text
    assert "Учебный полигон в Агдаме" in text
