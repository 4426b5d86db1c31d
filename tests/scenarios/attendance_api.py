"""Shared by several test modules; first written for tests/test_attendance_api.py."""

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from extensions import db
from models import AttendanceRecord, AttendanceSheet, Course, Enrolment
from models.account import Role
from tests.factories import make_course, make_programme, make_trainee
from trainees.enrolment import enrol

TODAY = date(2021, 1, 13)  # Wednesday, day 3 of AGH-1 (2021-01-11 to 2021-02-24)


INSTRUCTOR = "Rəşad Quliyev"


NAMES = [("Əliyev Rauf", "Aliyev Rauf"), ("Babayev Elçin", "Babayev Elchin")]


def enrol_all(app, course_id: int, trainee_ids) -> list[int]:
    with app.app_context():
        course = db.session.get(Course, course_id)
        ids = [enrol(course, trainee_id).id for trainee_id in trainee_ids]
        db.session.commit()
        return ids


def make_setup(app, accounts, names=NAMES, **course_values) -> SimpleNamespace:
    """A course in progress taught by Rəşad Quliyev, with these trainees enrolled."""
    instructor = accounts.make(Role.INSTRUCTOR, full_name=INSTRUCTOR)
    values = {"statuses": ("open", "in_progress"), **course_values}
    course_id = make_course(app, make_programme(app), instructor_ids=[instructor["id"]], **values)
    trainees = [make_trainee(app, full_name=full, full_name_latin=latin) for full, latin in names]
    enrolled = enrol_all(app, course_id, trainees)
    return SimpleNamespace(
        id=course_id, instructor=instructor, trainees=trainees, enrolled=enrolled
    )


def stored(app, course_id: int, day: date) -> dict:
    """{trainee_id: (status, note)} of the day's sheet as the database holds it."""
    with app.app_context():
        rows = db.session.execute(
            select(Enrolment.trainee_id, AttendanceRecord.status, AttendanceRecord.note)
            .join(AttendanceRecord, AttendanceRecord.enrolment_id == Enrolment.id)
            .join(AttendanceSheet, AttendanceSheet.id == AttendanceRecord.sheet_id)
            .where(AttendanceSheet.course_id == course_id, AttendanceSheet.day == day)
        )
        return {trainee_id: (status, note) for trainee_id, status, note in rows}


def bearer(accounts, account) -> dict:
    return {"Authorization": f"Bearer {accounts.token(account)}"}


def sheet_row(app, course_id: int, day: date) -> AttendanceSheet | None:
    with app.app_context():
        where = (AttendanceSheet.course_id == course_id, AttendanceSheet.day == day)
        sheet = db.session.scalar(select(AttendanceSheet).where(*where))
        if sheet is not None:
            db.session.expunge(sheet)
        return sheet


def url(course_id: int, day: date) -> str:
    return f"/api/v1/courses/{course_id}/attendance/{day.isoformat()}"


def put(client, headers, course_id, day, records, **extra):
    body = {"records": [{"note": "", **record} for record in records], **extra}
    return client.put(url(course_id, day), headers=headers, json=body)
