"""Attendance API: a day's sheet read and saved whole, every refusal, and the exports."""

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from app import create_app
from core import clock
from extensions import db
from models import AttendanceRecord, Course, Enrolment
from models.account import Role
from tests import conftest
from tests.factories import freeze, make_course, make_programme, make_trainee
from tests.scenarios.api_base import error_of
from tests.scenarios.attendance_api import (
    INSTRUCTOR,
    NAMES,
    TODAY,
    bearer,
    make_setup,
    put,
    sheet_row,
    stored,
    url,
)
from trainees.enrolment import withdraw


def test_the_attendance_api_is_served(database_url):
    fresh = create_app(conftest.test_config(database_url))  # the app as app.py makes it
    client = fresh.test_client()
    answer = client.get("/api/v1/courses/1/attendance/2021-01-13")
    paths = client.get("/api/v1/openapi.json").json["paths"]
    with fresh.app_context():
        db.engine.dispose()
    assert "/api/v1/courses/{course_id}/attendance/{day}" in paths
    error_of(answer, 401, "unauthorized")


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    return make_setup(app, accounts)


@pytest.fixture
def teacher(accounts, setup):
    return bearer(accounts, setup.instructor)


# --- reading and saving -----------------------------------------------------------


def test_get_lists_the_trainees_enrolled_with_nothing_recorded(client, setup, teacher):
    response = client.get(url(setup.id, TODAY), headers=teacher)
    assert response.status_code == 200, response.text
    sheet = response.json
    assert sheet["version"] == 0 and sheet["recorded"] is False
    assert sheet["recorded_by"] is None and sheet["date"] == "2021-01-13"
    assert [(r["trainee_id"], r["full_name"], r["status"]) for r in sheet["records"]] == [
        (setup.trainees[0], "Əliyev Rauf", None),
        (setup.trainees[1], "Babayev Elçin", None),
    ]


def test_put_saves_every_record_with_who_and_when(app, client, setup, teacher):
    a, b = setup.trainees
    records = [
        {"trainee_id": a, "status": "present"},
        {"trainee_id": b, "status": "late", "note": "  Convoy   delayed "},
    ]
    response = put(client, teacher, setup.id, TODAY, records, version=0)
    assert response.status_code == 200, response.text
    assert response.json["version"] == 1 and response.json["recorded_by"] == INSTRUCTOR
    assert [r["status"] for r in response.json["records"]] == ["present", "late"]
    assert stored(app, setup.id, TODAY) == {a: ("present", ""), b: ("late", "Convoy delayed")}
    with app.app_context():
        records = db.session.scalars(select(AttendanceRecord)).all()
        assert {r.recorded_by_id for r in records} == {setup.instructor["id"]}
        for record in records:
            assert record.recorded_at == clock.now()  # the clock stands at 08:00 on TODAY
    assert client.get(url(setup.id, TODAY), headers=teacher).json == response.json


REFUSED_DAYS = [
    (date(2021, 1, 17), "Jan 17, 2021 is a rest day of this course."),
    (date(2021, 1, 20), "Jan 20, 2021 is a holiday of this course."),
    (date(2021, 1, 10), "Jan 10, 2021 is outside the course (Jan 11, 2021 to Feb 24, 2021)."),
    (date(2021, 2, 25), "Feb 25, 2021 is outside the course (Jan 11, 2021 to Feb 24, 2021)."),
    (date(2021, 1, 14), "Jan 14, 2021 is in the future: attendance is taken on the day."),
]


@pytest.mark.parametrize(("day", "message"), REFUSED_DAYS)
def test_refuses_days_that_are_not_past_training_days(app, client, setup, teacher, day, message):
    error = error_of(client.get(url(setup.id, day), headers=teacher), 422, "validation_error")
    assert error["message"] == message and error["fields"] == {"date": [message]}
    records = [{"trainee_id": setup.trainees[0], "status": "present"}]
    error = error_of(put(client, teacher, setup.id, day, records), 422, "validation_error")
    assert error["message"] == message
    assert sheet_row(app, setup.id, day) is None


def test_cancelled_course_takes_no_attendance(app, client, setup, accounts):
    admin = accounts.bearer(Role.ADMIN)
    course = client.get(f"/api/v1/courses/{setup.id}", headers=admin).json
    change = {"version": course["version"], "status": "cancelled"}
    response = client.patch(f"/api/v1/courses/{setup.id}", headers=admin, json=change)
    assert response.status_code == 200, response.text
    records = [{"trainee_id": setup.trainees[0], "status": "present"}]
    error = error_of(put(client, admin, setup.id, TODAY, records), 409, "conflict")
    assert error["message"] == "The course is cancelled: no attendance is taken."
    assert sheet_row(app, setup.id, TODAY) is None


def test_withdrawn_trainee_leaves_later_sheets_only(app, client, setup, teacher):
    a, b = setup.trainees
    with app.app_context():
        withdraw(db.session.get(Enrolment, setup.enrolled[1]), "Injured", on=date(2021, 1, 12))
        db.session.commit()
    on_day = client.get(url(setup.id, date(2021, 1, 12)), headers=teacher).json
    assert [r["trainee_id"] for r in on_day["records"]] == [a, b]
    after = client.get(url(setup.id, TODAY), headers=teacher).json
    assert [r["trainee_id"] for r in after["records"]] == [a]
    both = [{"trainee_id": a, "status": "present"}, {"trainee_id": b, "status": "absent"}]
    assert put(client, teacher, setup.id, date(2021, 1, 12), both).status_code == 200
    error = error_of(put(client, teacher, setup.id, TODAY, both), 422, "validation_error")
    assert error["fields"] == {
        "records.1.trainee_id": [f"Trainee {b} is not enrolled on this course on Jan 13, 2021."]
    }
    assert sheet_row(app, setup.id, TODAY) is None
    assert stored(app, setup.id, date(2021, 1, 12)) == {a: ("present", ""), b: ("absent", "")}


BAD_RECORDS = {
    "invalid status": ("records.1.status", "Must be one of: present, late, absent, excused."),
    "not enrolled": ("records.1.trainee_id", "is not enrolled on this course on Jan 13, 2021."),
    "listed twice": ("records.1.trainee_id", "appears twice on the sheet."),
}


@pytest.mark.parametrize("kind", BAD_RECORDS)
def test_one_bad_record_saves_nothing(app, client, setup, teacher, kind):
    a, b = setup.trainees
    first = [{"trainee_id": a, "status": "absent", "note": "Sick"}]
    assert put(client, teacher, setup.id, TODAY, first).status_code == 200
    version = sheet_row(app, setup.id, TODAY).version
    bad = {
        "invalid status": {"trainee_id": b, "status": "sleeping"},
        "not enrolled": {"trainee_id": make_trainee(app), "status": "late"},
        "listed twice": {"trainee_id": a, "status": "late"},
    }[kind]
    sent = [{"trainee_id": a, "status": "present"}, bad]
    error = error_of(put(client, teacher, setup.id, TODAY, sent), 422, "validation_error")
    field, message = BAD_RECORDS[kind]
    assert list(error["fields"]) == [field] and error["fields"][field][0].endswith(message)
    assert stored(app, setup.id, TODAY) == {a: ("absent", "Sick")}
    assert sheet_row(app, setup.id, TODAY).version == version


def test_an_empty_sheet_is_not_a_recorded_day(app, client, setup, teacher):
    """Found while writing these tests (an empty PUT saved a "recorded" empty sheet); fixed."""
    error = error_of(put(client, teacher, setup.id, TODAY, []), 422, "validation_error")
    message = "The sheet has no record: mark at least one trainee."
    assert error["message"] == message and error["fields"] == {"records": [message]}
    assert sheet_row(app, setup.id, TODAY) is None


def test_saving_over_someone_elses_save_is_refused(app, client, setup, teacher, accounts):
    a, b = setup.trainees
    admin = accounts.bearer(Role.ADMIN, full_name="Aynur Məmmədova")
    read = client.get(url(setup.id, TODAY), headers=teacher).json
    theirs = [{"trainee_id": a, "status": "absent", "note": "Hospital"}]
    assert put(client, admin, setup.id, TODAY, theirs, version=read["version"]).status_code == 200
    mine = [{"trainee_id": a, "status": "present"}, {"trainee_id": b, "status": "present"}]
    response = put(client, teacher, setup.id, TODAY, mine, version=read["version"])
    error = error_of(response, 409, "conflict")
    assert error["message"] == (
        "Aynur Məmmədova saved this sheet after you opened it. Nothing was saved: "
        "reload it to see their record, then correct it."
    )
    assert stored(app, setup.id, TODAY) == {a: ("absent", "Hospital")}
    again = client.get(url(setup.id, TODAY), headers=teacher).json
    response = put(client, teacher, setup.id, TODAY, mine, version=again["version"])
    assert response.status_code == 200, response.text
    assert stored(app, setup.id, TODAY) == {a: ("present", ""), b: ("present", "")}


def test_a_stale_copy_of_ones_own_save_is_refused_as_ones_own(app, client, setup, teacher):
    a, _b = setup.trainees
    read = client.get(url(setup.id, TODAY), headers=teacher).json
    first = [{"trainee_id": a, "status": "absent"}]
    assert put(client, teacher, setup.id, TODAY, first, version=read["version"]).status_code == 200
    stale = [{"trainee_id": a, "status": "late"}]  # the other tab, opened before
    response = put(client, teacher, setup.id, TODAY, stale, version=read["version"])
    error = error_of(response, 409, "conflict")
    assert error["message"] == (
        "You saved this sheet again after this copy of it was opened. Nothing was saved: "
        "reload it to see your newer record, then correct it."
    )
    assert stored(app, setup.id, TODAY) == {a: ("absent", "")}


def test_correction_window(app, client, setup, accounts, monkeypatch):
    a = setup.trainees[0]
    old, last = date(2021, 1, 14), date(2021, 1, 15)  # 8 and 7 days before 2021-01-22
    freeze(monkeypatch, old)
    teacher = bearer(accounts, setup.instructor)
    assert (
        put(client, teacher, setup.id, old, [{"trainee_id": a, "status": "absent"}]).status_code
        == 200
    )
    freeze(monkeypatch, date(2021, 1, 22))
    teacher = bearer(accounts, setup.instructor)  # a token lives hours, not days
    records = [{"trainee_id": a, "status": "excused", "note": "Medical leave"}]
    assert put(client, teacher, setup.id, last, records).status_code == 200
    error = error_of(put(client, teacher, setup.id, old, records), 403, "forbidden")
    assert error["message"] == "Sheets older than 7 days are corrected by an administrator only."
    admin = accounts.bearer(Role.ADMIN)
    why = "Say why a sheet older than 7 days is changed."
    for reason in ({}, {"reason": "   "}):
        response = put(client, admin, setup.id, old, records, **reason)
        error = error_of(response, 422, "validation_error")
        assert error["message"] == why and error["fields"] == {"reason": [why]}
    assert stored(app, setup.id, old) == {a: ("absent", "")}
    response = put(client, admin, setup.id, old, records, reason="Paper register found")
    assert response.status_code == 200
    assert response.json["correction_reason"] == "Paper register found"
    assert sheet_row(app, setup.id, old).correction_reason == "Paper register found"
    assert stored(app, setup.id, old) == {a: ("excused", "Medical leave")}


def test_who_may_read_and_save_a_sheet(app, client, setup, accounts):
    records = [{"trainee_id": setup.trainees[0], "status": "absent"}]
    theirs = accounts.make(Role.INSTRUCTOR)  # teaches another course, not this one
    make_course(app, make_programme(app, code="EOD-2"), code="AGH-2", instructor_ids=[theirs["id"]])
    other = bearer(accounts, theirs)
    trainee = accounts.bearer(Role.TRAINEE)
    for headers, status, code in ((other, 403, "forbidden"), (trainee, 403, "forbidden")):
        error_of(client.get(url(setup.id, TODAY), headers=headers), status, code)
        error_of(put(client, headers, setup.id, TODAY, records), status, code)
    error_of(client.get(url(setup.id, TODAY)), 401, "unauthorized")
    error_of(put(client, {}, setup.id, TODAY, records), 401, "unauthorized")
    assert client.get(f"/courses/{setup.id}/attendance.csv", headers=other).status_code == 403
    assert sheet_row(app, setup.id, TODAY) is None


def test_dates_are_fixed_once_attendance_exists(app, client, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts, statuses=("open",))
    admin = accounts.bearer(Role.ADMIN)
    records = [{"trainee_id": setup.trainees[0], "status": "present"}]
    assert put(client, admin, setup.id, date(2021, 1, 11), records).status_code == 200
    course = client.get(f"/api/v1/courses/{setup.id}", headers=admin).json
    for change in ({"start_date": "2021-01-18"}, {"holidays": ["2021-01-21"]}):
        body = {"version": course["version"], **change}
        response = client.patch(f"/api/v1/courses/{setup.id}", headers=admin, json=body)
        assert error_of(response, 409, "conflict")["message"] == (
            "Attendance is already recorded for course AGH-1: its programme, dates "
            "and holidays can no longer change."
        )
    with app.app_context():
        course = db.session.get(Course, setup.id)
        assert course.start_date == date(2021, 1, 11)
        assert [holiday.day for holiday in course.holidays] == [date(2021, 1, 20)]


# --- exports ----------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def recorded(app, client, accounts, monkeypatch):
    """Two days recorded; the third trainee's name is a spreadsheet formula."""
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts, names=[*NAMES, (FORMULA, FORMULA)])
    a, b, c = setup.trainees
    headers = bearer(accounts, setup.instructor)
    days = {
        date(2021, 1, 11): {a: "present", b: "present", c: "late"},
        date(2021, 1, 12): {a: "absent", b: "excused", c: "present"},
    }
    for day, statuses in days.items():
        records = [{"trainee_id": t, "status": s} for t, s in statuses.items()]
        assert put(client, headers, setup.id, day, records).status_code == 200
    setup.headers = headers
    return setup


HEADER = ["Organisation", "Personal number", "Full name", "Full name (Latin)"]
HEADER += ["Attendance rate (%)"]


def test_csv_export(client, recorded):
    response = client.get(f"/courses/{recorded.id}/attendance.csv", headers=recorded.headers)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    header = rows[0]
    assert header[:8] == [*HEADER, "2021-01-11", "2021-01-12", "2021-01-13"]
    assert len(header) == 5 + 38 and "2021-01-17" not in header and "2021-01-20" not in header
    assert len(rows) == 4
    by_latin = {row[3]: row for row in rows[1:]}
    aliyev = ["Əliyev Rauf", "Aliyev Rauf", "50.0", "present", "absent", ""]
    assert by_latin["Aliyev Rauf"][2:8] == aliyev
    assert by_latin["Babayev Elchin"][4:7] == ["100.0", "present", "excused"]
    formula_row = by_latin["'" + FORMULA]  # the apostrophe keeps it text
    assert formula_row[2] == "'" + FORMULA and formula_row[4:7] == ["100.0", "late", "present"]


def test_xlsx_export(client, recorded):
    response = client.get(f"/courses/{recorded.id}/attendance.xlsx", headers=recorded.headers)
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows())
    assert [cell.value for cell in rows[0][:6]] == [*HEADER, "2021-01-11"]
    assert len(rows) == 4
    by_latin = {row[3].value: row for row in rows[1:]}
    aliyev = ["Əliyev Rauf", "Aliyev Rauf", 50.0, "present", "absent"]
    assert [cell.value for cell in by_latin["Aliyev Rauf"][2:7]] == aliyev
    formula = by_latin[FORMULA]
    assert formula[2].value == FORMULA and formula[2].data_type == "s"
    assert formula[3].data_type == "s" and formula[4].value == 100.0
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
