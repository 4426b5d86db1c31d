"""An instructor booked on two courses whose dates overlap: allowed, but worth a warning.

Not refused: a second instructor may cover, or one course may be in the morning.
"""

from sqlalchemy import select
from sqlalchemy.orm import aliased

from auth.models import User
from courses.models import Course, CourseStatus, course_instructors
from extensions import db


def overlapping_bookings(course: Course) -> list[tuple[User, Course]]:
    """Each of the course's instructors with another live course over the same dates."""
    other = aliased(Course)
    if not course.instructors:
        return []
    rows = db.session.execute(
        select(User, other)
        .join(course_instructors, course_instructors.c.user_id == User.id)
        .join(other, other.id == course_instructors.c.course_id)
        .where(
            User.id.in_([user.id for user in course.instructors]),
            other.id != course.id,
            other.status != CourseStatus.CANCELLED,
            other.start_date <= course.end_date,
            other.end_date >= course.start_date,
        )
        .order_by(User.full_name, other.start_date)
    )
    return [tuple(row) for row in rows]
