"""Enrolling trainees in courses, and withdrawing them (flush, never commit)."""

from datetime import date

from flask_babel import lazy_ngettext as _ln
from sqlalchemy import select, update

from core import clock
from core.api import MAX_ID
from core.errors import Conflict, Invalid
from core.formats import lazy_sentence as _l
from core.text import one_line
from courses.seats import SEATED, seats_taken
from extensions import db
from models import Course, CourseStatus, Enrolment, EnrolmentStatus
from models.trainee import Trainee

STATUS_NAMES = {
    EnrolmentStatus.ENROLLED: _l("enrolled"),
    EnrolmentStatus.WITHDRAWN: _l("withdrawn"),
    EnrolmentStatus.COMPLETED: _l("completed"),
    EnrolmentStatus.FAILED: _l("failed"),
}


def lock_rows(course: Course, trainee: Trainee) -> None:
    """Take the write locks of the course and the trainee before checking anything.

    No-op UPDATEs: PostgreSQL locks the two rows, SQLite takes its one write lock.
    Another enrolment into the same course (the last seat) or of the same trainee (an
    overlapping course) waits here until this one commits, then checks again. Always
    course first, then trainee, so two enrolments never wait for each other in a ring.
    """
    for model, record_id in ((Course, course.id), (Trainee, trainee.id)):
        db.session.execute(
            update(model).where(model.id == record_id).values(id=model.id),
            execution_options={"synchronize_session": False},
        )


def enrol(course: Course, trainee_id: int) -> Enrolment:
    """A trainee into a course, or a refusal that says why."""
    trainee = db.session.get(Trainee, trainee_id) if 1 <= trainee_id <= MAX_ID else None
    if trainee is None:
        message = _l("There is no trainee number %(id)d.", id=trainee_id)
        raise Invalid(message, {"trainee_id": [message]})
    if course.status in (CourseStatus.COMPLETED, CourseStatus.CANCELLED):
        raise Conflict(_l("The course is %(status)s: nobody can join it.", status=course.status))
    if trainee.medical_clearance_until < course.end_date:
        raise Conflict(
            _l(
                "%(name)s's medical clearance ends on %(until)s, before the course ends (%(end)s).",
                name=trainee.full_name,
                until=trainee.medical_clearance_until,
                end=course.end_date,
            )
        )
    lock_rows(course, trainee)
    existing = db.session.scalar(
        select(Enrolment).where(
            Enrolment.course_id == course.id, Enrolment.trainee_id == trainee.id
        )
    )
    if existing is not None:
        raise Conflict(_l("%(name)s is already on this course.", name=trainee.full_name))
    overlapping = db.session.scalar(
        select(Course)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(
            Enrolment.trainee_id == trainee.id,
            Enrolment.status.in_(SEATED),
            Course.status != CourseStatus.CANCELLED,
            Course.start_date <= course.end_date,
            Course.end_date >= course.start_date,
        )
        .limit(1)
    )
    if overlapping is not None:
        raise Conflict(
            _l(
                "%(name)s is already in course %(code)s (%(start)s to %(end)s), whose dates "
                "overlap.",
                name=trainee.full_name,
                code=overlapping.code,
                start=overlapping.start_date,
                end=overlapping.end_date,
            )
        )
    if seats_taken(course) >= course.capacity:
        raise Conflict(
            _ln(
                "The course is full: its one seat is taken.",
                "The course is full: all %(num)d seats are taken.",
                course.capacity,
            )
        )
    quota = next((q for q in course.quotas if q.organisation_id == trainee.organisation_id), None)
    if quota is not None and seats_taken(course, trainee.organisation_id) >= quota.max_trainees:
        raise Conflict(
            _ln(
                "%(organisation)s has used its quota of %(num)d seat on this course.",
                "%(organisation)s has used its quota of %(num)d seats on this course.",
                quota.max_trainees,
                organisation=trainee.organisation.code,
            )
        )
    enrolment = Enrolment(course=course, trainee=trainee, status=EnrolmentStatus.ENROLLED)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def withdraw(enrolment: Enrolment, reason: str, on: date | None = None) -> Enrolment:
    """Take a trainee off a course; their attendance and results stay on record."""
    reason = one_line(reason)
    if not reason:
        message = _l("Give the reason for the withdrawal.")
        raise Invalid(message, {"reason": [message]})
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(
            _l(
                "Only an enrolled trainee can be withdrawn; this one is %(status)s.",
                status=enrolment.status,
            )
        )
    on = on or clock.today()
    if on > clock.today():
        message = _l("A withdrawal cannot be dated in the future.")
        raise Invalid(message, {"date": [message]})
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_on = on
    enrolment.withdrawal_reason = reason[:2000]
    db.session.flush()
    return enrolment
