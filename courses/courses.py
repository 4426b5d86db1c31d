"""Scheduling courses: create, change, move through their statuses (flush, never commit)."""

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from core import clock, translated
from core.dates import in_range
from core.errors import Conflict, Invalid
from core.formats import lazy_sentence as _l
from core.search_text import LIKE_ESCAPE, containing
from courses import schedule
from courses.attendance import has_attendance
from courses.plans import check_holidays, refresh_schedule, scheduled_end
from courses.seats import check_room_for_seated, lock_course
from extensions import db
from models import (
    Certificate,
    Course,
    CourseHoliday,
    CourseQuota,
    CourseStatus,
    Enrolment,
    Organisation,
    Programme,
    course_instructors,
)
from models.account import Role, User

S = CourseStatus
MOVES = {
    S.PLANNED: {S.OPEN, S.CANCELLED},
    S.OPEN: {S.PLANNED, S.IN_PROGRESS, S.CANCELLED},
    S.IN_PROGRESS: {S.COMPLETED, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: {S.PLANNED},
}
STATUS_NAMES = {
    S.PLANNED: _l("planned"),
    S.OPEN: _l("open for enrolment"),
    S.IN_PROGRESS: _l("in progress"),
    S.COMPLETED: _l("completed"),
    S.CANCELLED: _l("cancelled"),
}
# Changing any of these moves the course's days, so its plan is made anew.
SCHEDULE_FIELDS = ("programme_id", "start_date", "holidays")


def create_course(values: dict) -> Course:
    _check_code_free(values["code"])
    programme = _programme(values["programme_id"])
    course = Course(
        programme=programme,
        code=values["code"],
        title=values["title"],
        start_date=values["start_date"],
        end_date=schedule.end_date(values["start_date"], programme.duration_days),
        location=values["location"],
        title_i18n=translated.clean(values.get("title_i18n")),
        location_i18n=translated.clean(values.get("location_i18n")),
        capacity=values["capacity"],
        status=S.PLANNED,
    )
    _check_capacity(values["capacity"])
    course.instructors = _instructors(values.get("instructor_ids", []))
    course.quotas = _quotas(values.get("quotas") or {})
    course.holidays = _holidays(course, values.get("holidays", []))
    _check_dates(course)
    db.session.add(course)
    refresh_schedule(course)
    if values.get("status") and values["status"] != S.PLANNED:
        change_status(course, values["status"])
    return course


def update_course(course: Course, version: int, changes: dict) -> Course:
    """Apply a form's or a PATCH's changes; Conflict when `version` is stale."""
    if version != course.version:
        raise Conflict(_l("Someone else changed this course; reload it and try again."))
    if "code" in changes and changes["code"] != course.code:
        _check_code_free(changes["code"])
    if "capacity" in changes:
        _check_capacity(changes["capacity"])
    if "capacity" in changes or changes.get("quotas"):
        lock_course(course)
        check_room_for_seated(
            course, changes.get("capacity", course.capacity), changes.get("quotas") or {}
        )
    reschedule = any(
        name in changes and _differs(course, name, changes[name]) for name in SCHEDULE_FIELDS
    )
    if reschedule:
        refuse_reschedule_once_started(course)
    for name in ("code", "title", "location", "capacity"):
        if name in changes:
            setattr(course, name, changes[name])
    for name in ("title_i18n", "location_i18n"):
        if name in changes:
            setattr(course, name, translated.clean(changes[name]))
    # No flush between the new start and its end date: the database checks start <= end.
    with db.session.no_autoflush:
        if "programme_id" in changes:
            course.programme = _programme(changes["programme_id"])
        if "start_date" in changes:
            course.start_date = changes["start_date"]
        course.end_date = scheduled_end(course)
    _check_dates(course)
    if "holidays" in changes and _differs(course, "holidays", changes["holidays"]):
        course.holidays = []
        db.session.flush()
        course.holidays = _holidays(course, changes["holidays"])
    if "instructor_ids" in changes:
        course.instructors = _instructors(changes["instructor_ids"])
    if "quotas" in changes:
        course.quotas = []
        db.session.flush()
        course.quotas = _quotas(changes["quotas"] or {})
    if reschedule:
        refresh_schedule(course)
    if "status" in changes and changes["status"] != course.status:
        change_status(course, changes["status"])
    db.session.flush()
    return course


def refuse_reschedule_once_started(course: Course) -> None:
    """A course's days are fixed once it has started or any attendance is recorded."""
    if has_attendance(course):
        raise Conflict(
            _l(
                "Attendance is already recorded for course %(code)s: its programme, dates "
                "and holidays can no longer change.",
                code=course.code,
            )
        )
    if course.status in (S.IN_PROGRESS, S.COMPLETED):
        raise Conflict(
            _l(
                "Course %(code)s has started: its programme, dates and holidays can no longer "
                "change.",
                code=course.code,
            )
        )


def change_status(course: Course, new_status: str) -> None:
    """Move a course to another status, if that move makes sense today."""
    current = S(course.status)
    target = S(new_status)
    if target not in MOVES[current]:
        raise Conflict(
            _l(
                "A course that is %(current)s cannot become %(target)s.",
                current=STATUS_NAMES[current],
                target=STATUS_NAMES[target],
            ),
            {"status": [_l("Not possible from %(current)s.", current=STATUS_NAMES[current])]},
        )
    today = clock.today()
    if target == S.IN_PROGRESS and today < course.start_date:
        message = _l("The course starts on %(day)s.", day=course.start_date)
        raise Conflict(message, {"status": [message]})
    if target == S.COMPLETED and today <= course.end_date:
        message = _l(
            "The course ends on %(day)s: it can be completed only after its last day.",
            day=course.end_date,
        )
        raise Conflict(message, {"status": [message]})
    if target == S.CANCELLED and _has_certificates(course):
        message = _l("Certificates have been issued for this course: it cannot be cancelled.")
        raise Conflict(message, {"status": [message]})
    if current == S.CANCELLED:
        # The programme may have changed while the course was cancelled.
        refresh_schedule(course)
    course.status = target


def _has_certificates(course: Course) -> bool:
    statement = (
        select(Certificate.id)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(Enrolment.course_id == course.id)
        .limit(1)
    )
    return db.session.scalar(statement) is not None


def _current(course: Course, name: str):
    if name == "holidays":
        return sorted(holiday.day for holiday in course.holidays)
    return getattr(course, name)


def _differs(course: Course, name: str, wanted) -> bool:
    if name == "holidays":
        return sorted(set(wanted)) != _current(course, name)
    return wanted != _current(course, name)


def _check_dates(course: Course) -> None:
    """The whole course, to its last day, within the years the register keeps."""
    if not (in_range(course.start_date) and in_range(course.end_date)):
        message = _l(
            "The course would run from %(start)s to %(end)s; dates must be between the "
            "years 2000 and 2200.",
            start=course.start_date,
            end=course.end_date,
        )
        raise Invalid(message, {"start_date": [message]})


def _check_code_free(code: str) -> None:
    if db.session.scalar(select(Course.id).where(Course.code == code)) is not None:
        message = _l("A course with code %(code)s already exists.", code=code)
        raise Conflict(message, {"code": [message]})


def _check_capacity(capacity: int) -> None:
    if capacity < 1:
        raise Invalid(
            _l("The capacity must be at least 1."),
            {"capacity": [_l("The capacity must be at least 1.")]},
        )


def _programme(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        message = _l("There is no programme number %(id)d.", id=programme_id)
        raise Invalid(message, {"programme_id": [message]})
    return programme


def _instructors(user_ids: list[int]) -> list[User]:
    wanted = list(dict.fromkeys(user_ids))
    users = db.session.scalars(select(User).where(User.id.in_(wanted))).all() if wanted else []
    found = {user.id: user for user in users}
    problems = []
    for user_id in wanted:
        user = found.get(user_id)
        if user is None:
            problems.append(_l("There is no account number %(id)d.", id=user_id))
        elif user.role != Role.INSTRUCTOR or not user.active:
            problems.append(_l("%(name)s is not an active instructor.", name=user.full_name))
    if problems:
        raise Invalid(
            _l("Only active instructors can teach a course."), {"instructor_ids": problems}
        )
    return [found[user_id] for user_id in wanted]


def _quotas(quotas: dict[str, int]) -> list[CourseQuota]:
    codes = list(quotas)
    organisations = (
        {
            organisation.code: organisation
            for organisation in db.session.scalars(
                select(Organisation).where(Organisation.code.in_(codes))
            )
        }
        if codes
        else {}
    )
    problems = []
    for code, maximum in quotas.items():
        if code not in organisations:
            problems.append(_l("There is no organisation with code %(code)s.", code=code))
        elif maximum < 0:
            problems.append(_l("The quota of %(code)s cannot be negative.", code=code))
    if problems:
        raise Invalid(_l("The quotas are not valid."), {"quotas": problems})
    return [
        CourseQuota(organisation=organisations[code], max_trainees=maximum)
        for code, maximum in quotas.items()
    ]


def _holidays(course: Course, days: list[date]) -> list[CourseHoliday]:
    check_holidays(course, days)
    return [CourseHoliday(day=day) for day in sorted(set(days))]


# Finding courses in the list: words in the code, title or location; status; year.

PER_PAGE = 20


def filtered(statement: Select, q: str, status: str | None, year: int | None) -> Select:
    """The list's filters, all in SQL so the page is counted and cut by the database."""
    for word in q.split()[:5]:
        pattern = containing(word)
        statement = statement.where(
            or_(
                Course.code.ilike(pattern, escape=LIKE_ESCAPE),
                Course.title.ilike(pattern, escape=LIKE_ESCAPE),
                Course.location.ilike(pattern, escape=LIKE_ESCAPE),
            )
        )
    if status in set(CourseStatus):
        statement = statement.where(Course.status == status)
    if year is not None and 2000 <= year <= 2200:
        # A course belongs to every year it runs in.
        statement = statement.where(
            Course.start_date <= date(year, 12, 31), Course.end_date >= date(year, 1, 1)
        )
    return statement


# An instructor booked on two courses whose dates overlap: allowed, but worth a warning
# (not refused: a second instructor may cover, or one course may be in the morning).


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
