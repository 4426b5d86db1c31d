"""Seats of a course: who holds one, how many are taken, and the course's write lock.

Below enrolment (trainees/enrolment.py) and course editing (courses/courses.py) alike,
so that both count the same way: enrolling refuses a full course or quota, editing
refuses a capacity or quota lower than the seats already taken.
"""

from flask_babel import lazy_ngettext as _ln
from sqlalchemy import func, select, update

from core.errors import Conflict
from extensions import db
from models import Course, Enrolment, EnrolmentStatus, Organisation, Trainee

# Trainees who hold a seat: a withdrawn trainee frees theirs.
SEATED = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED)


def lock_course(course: Course) -> None:
    """The course's write lock, taken before counting its seats.

    A no-op UPDATE: PostgreSQL locks the row, SQLite takes its one write lock. An
    enrolment and a change of capacity therefore never count past one another.
    """
    db.session.execute(
        update(Course).where(Course.id == course.id).values(id=Course.id),
        execution_options={"synchronize_session": False},
    )


def seats_taken(course: Course, organisation_id: int | None = None) -> int:
    """Seats held on the course (by the organisation's trainees, when one is given)."""
    statement = (
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.course_id == course.id, Enrolment.status.in_(SEATED))
    )
    if organisation_id is not None:
        statement = statement.join(Trainee, Trainee.id == Enrolment.trainee_id).where(
            Trainee.organisation_id == organisation_id
        )
    return db.session.scalar(statement)


def check_room_for_seated(course: Course, capacity: int, quotas: dict[str, int]) -> None:
    """Refuse lowering the capacity or a quota below the seats already taken (409, per field).

    Only a lowering is refused: a course whose records already hold more (an earlier
    version took such changes) can still be edited otherwise.
    """
    problems: dict[str, list] = {}
    taken = seats_taken(course)
    if capacity < min(taken, course.capacity):
        problems["capacity"] = [
            _ln(
                "%(num)d seat is already taken: the capacity cannot be lower.",
                "%(num)d seats are already taken: the capacity cannot be lower.",
                taken,
            )
        ]
    if quotas:
        organisations = db.session.scalars(
            select(Organisation).where(Organisation.code.in_(list(quotas)))
        )
        current = {quota.organisation_id: quota.max_trainees for quota in course.quotas}
        for organisation in organisations:
            held = seats_taken(course, organisation.id)
            if quotas[organisation.code] < min(held, current.get(organisation.id, held)):
                problems[f"quotas.{organisation.code}"] = [
                    _ln(
                        "%(code)s already holds %(num)d seat: its quota cannot be lower.",
                        "%(code)s already holds %(num)d seats: its quota cannot be lower.",
                        held,
                        code=organisation.code,
                    )
                ]
    if problems:
        first = next(iter(problems.values()))[0]
        raise Conflict(first, problems)
