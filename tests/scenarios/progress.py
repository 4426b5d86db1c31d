"""Shared by several test modules; first written for tests/test_progress.py."""

from courses.attendance import save_sheet
from extensions import db
from models import Course
from models.account import User


def take(app, setup, day, statuses: dict) -> None:
    """Save a day's sheet as the course's instructor, through the attendance service.

    (Not through PUT /api/v1/courses/<id>/attendance/<date>: app.py does not register
    that blueprint yet; tests/test_attendance_api.py shows it.)
    """
    records = [{"trainee_id": trainee, "status": status} for trainee, status in statuses.items()]
    with app.app_context():
        instructor = db.session.get(User, setup.instructor["id"])
        save_sheet(db.session.get(Course, setup.id), day, records, instructor)
        db.session.commit()
