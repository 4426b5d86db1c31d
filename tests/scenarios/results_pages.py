"""Shared by several test modules; first written for tests/test_results_pages.py."""

from datetime import date

from sqlalchemy import select

from extensions import db
from models import Course, Enrolment, Module
from models.account import User
from trainees.results import record_results

TODAY = date(2021, 1, 12)  # Tuesday, day 2 of AGH-1: T1 today, P1 from tomorrow


def record(app, setup, code, values: dict, day=TODAY) -> None:
    """Attempts through the service, as the course's instructor: {enrolment index: value}."""
    with app.app_context():
        course = db.session.get(Course, setup.id)
        module_ = db.session.scalar(
            select(Module).where(Module.programme_id == course.programme_id, Module.code == code)
        )
        key = "score" if module_.scored else "passed"
        rows = [
            (db.session.get(Enrolment, setup.enrolled[i]), {key: value, "assessed_on": day})
            for i, value in values.items()
        ]
        record_results(course, module_, rows, db.session.get(User, setup.instructor["id"]))
        db.session.commit()
