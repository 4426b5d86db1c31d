"""Unplanned days off: an administrator calls off a training day (flush, never commit).

The day leaves the course's training days, so it is on no sheet and never counts as
"not recorded". Made up, the course ends one training day later and the plan from that
day on moves one training day on; lost, that day's teaching is simply dropped.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from auth.policy import may_cancel_day
from core import clock
from core.errors import Conflict, Forbidden, Invalid
from core.formats import lazy_sentence as _l
from courses import schedule
from courses.plans import course_training_days, scheduled_end, store_plan
from courses.seats import SEATED
from extensions import db
from models import AttendanceSheet, CancelledDay, Course, CourseStatus, Enrolment, Trainee, User

REASON_MAX = 500


def _refuse(field: str, message) -> Invalid:
    return Invalid(message, {field: [message]})


def days_are_fixed(course: Course) -> bool:
    """A completed or cancelled course: none of its days can be called off any more."""
    return course.status in (CourseStatus.COMPLETED, CourseStatus.CANCELLED)


def days_fixed_message(course: Course):
    return _l(
        "Course %(code)s is completed or cancelled: its days cannot change.", code=course.code
    )


def cancel_training_day(
    course: Course, day: date, reason: str, make_up: bool, by: User
) -> CancelledDay:
    """Take `day` out of the course's training days, with the reason people will see."""
    if not (allowed := may_cancel_day(by, course)):
        raise Forbidden(allowed.reason)
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("reason", _l("Say why the day is cancelled."))
    if len(reason) > REASON_MAX:
        raise _refuse("reason", _l("At most %(n)d characters.", n=REASON_MAX))
    if days_are_fixed(course):
        raise Conflict(days_fixed_message(course))
    if any(cancelled.day == day for cancelled in course.cancelled_days):
        raise Conflict(_l("%(day)s is already cancelled.", day=day))
    before = course_training_days(course)
    if day not in before:
        raise _refuse("date", _l("%(day)s is not a training day of this course.", day=day))
    recorded = db.session.scalar(
        select(AttendanceSheet.id).where(
            AttendanceSheet.course_id == course.id, AttendanceSheet.day == day
        )
    )
    if recorded is not None:
        raise Conflict(
            _l(
                "Attendance is already recorded for %(day)s: a day that took place cannot be "
                "cancelled.",
                day=day,
            )
        )
    if day < clock.today():
        # Called off afterwards, a day nobody recorded would leave the count of days
        # "not recorded" unseen: its sheet is taken instead (absent, excused).
        raise Conflict(
            _l(
                "%(day)s is past: only today or a later training day is cancelled. Record "
                "its attendance instead.",
                day=day,
            )
        )
    old_plan = [schedule.Block(entry.day, entry.module.code, entry.hours) for entry in course.plan]
    cancelled = CancelledDay(day=day, reason=reason, made_up=make_up, cancelled_by=by)
    course.cancelled_days.append(cancelled)
    course.end_date = scheduled_end(course)
    _refuse_overlaps(course)
    after = course_training_days(course)
    store_plan(course, _moved_plan(old_plan, before, after, day, make_up))
    return cancelled


def _refuse_overlaps(course: Course) -> None:
    """Made up, the course ends later: not into another course one of its trainees is in
    (the rule that refused that enrolment in the first place)."""
    other, other_course = aliased(Enrolment), aliased(Course)
    clash = db.session.execute(
        select(Trainee.full_name, other_course.code, other_course.start_date)
        .select_from(Enrolment)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .join(other, other.trainee_id == Enrolment.trainee_id)
        .join(other_course, other_course.id == other.course_id)
        .where(
            Enrolment.course_id == course.id,
            Enrolment.status.in_(SEATED),
            other.course_id != course.id,
            other.status.in_(SEATED),
            other_course.status != CourseStatus.CANCELLED,
            other_course.start_date <= course.end_date,
            other_course.end_date >= course.start_date,
        )
        .order_by(other_course.start_date, Trainee.full_name)
        .limit(1)
    ).first()
    if clash is not None:
        raise Conflict(
            _l(
                "Made up, the course would end on %(end)s, but %(name)s starts course "
                "%(code)s on %(start)s: cancel the day without making it up.",
                end=course.end_date,
                name=clash.full_name,
                code=clash.code,
                start=clash.start_date,
            )
        )


def _moved_plan(blocks, before, after, day, make_up) -> list[schedule.Block]:
    """Each block keeps its place in the list of training days; the cancelled day's go with it."""
    if not make_up:
        return [block for block in blocks if block.day != day]
    position = {training_day: index for index, training_day in enumerate(before)}
    return [
        schedule.Block(after[position[block.day]], block.module_code, block.hours)
        for block in blocks
    ]


def cancelled_on(course: Course) -> dict[date, str]:
    """Cancelled day -> reason, for calendars, grids and sheets."""
    return {cancelled.day: cancelled.reason for cancelled in course.cancelled_days}
