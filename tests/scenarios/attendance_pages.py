"""Shared by several test modules; first written for tests/test_attendance_pages.py."""

from datetime import date

from courses.attendance import save_sheet
from extensions import db
from models import Course
from models.account import User


def save(app, course_id: int, account: dict, day: date, statuses: dict) -> None:
    """A sheet saved through the service the pages use (setting the scene, not the test)."""
    with app.app_context():
        records = [{"trainee_id": t, "status": s} for t, s in statuses.items()]
        course, user = db.session.get(Course, course_id), db.session.get(User, account["id"])
        save_sheet(course, day, records, user)
        db.session.commit()
