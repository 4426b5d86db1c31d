"""Records as the API documents them, and the eager loading that keeps lists cheap."""

from collections import defaultdict
from functools import cache

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from core.database import prebuilt
from courses.plans import course_training_days
from extensions import db
from models import Course, CourseQuota, Enrolment, Module, PlanEntry, Programme, Trainee, User
from models.course import course_instructors

# Loader options are built when first called, never at import, so that importing a
# module does not configure the mappers; then kept (they are immutable), since the
# busiest pages ask for them on every request.


@cache
def programme_loading() -> tuple:
    return (selectinload(Programme.modules).selectinload(Module.prerequisites),)


def load_modules(programmes) -> None:
    """The programmes' modules, in order, in one kept statement, as if loaded with them.

    What `selectinload(Programme.modules)` does, for a fraction of its cost: its loader
    builds and keys its statement on every request, a fifth of a trainee's dashboard.
    Programmes whose modules are loaded already are left alone.
    """
    waiting = {p.id: p for p in programmes if "modules" not in p.__dict__}
    if not waiting:
        return
    found = defaultdict(list)
    for module in db.session.scalars(_modules_of(), {"ids": list(waiting)}):
        found[module.programme_id].append(module)
    for programme_id, programme in waiting.items():
        set_committed_value(programme, "modules", found[programme_id])


@prebuilt
def _modules_of():
    return (
        select(Module)
        .where(Module.programme_id.in_(bindparam("ids", expanding=True)))
        .order_by(Module.programme_id, Module.position)
    )


@cache
def course_loading(quotas: bool = False) -> tuple:
    """Courses of a list with what their days and access need; `quotas` where they show.

    Many-to-one in the same statement (no extra rows); collections one statement each.
    """
    return _course_options(selectinload, quotas)


@cache
def _course_options(load_collection, quotas: bool, instructors: bool = True) -> tuple:
    collections = (Course.holidays, Course.cancelled_days)
    options = (
        joinedload(Course.programme),
        *((load_collection(Course.instructors),) if instructors else ()),
        *(load_collection(c) for c in collections),
    )
    if quotas:
        options += (selectinload(Course.quotas).joinedload(CourseQuota.organisation),)
    return options


def _with_instructors(statement):
    """One course's instructors joined link table first, then user, as two plain LEFT
    JOINs. `joinedload` writes "LEFT JOIN (course_instructors JOIN users)", which SQLite
    answers by reading every course's link rows first: one course's page slowed as the
    courses piled up (the progress API by 40 % at 500 courses)."""
    return statement.outerjoin(
        course_instructors, course_instructors.c.course_id == Course.id
    ).outerjoin(User, User.id == course_instructors.c.user_id)


@prebuilt
def _one_course(quotas: bool = False, plan: bool = False):
    statement = select(Course).where(Course.id == bindparam("course_id"))
    extra = ()
    if plan:
        extra = (
            joinedload(Course.programme).selectinload(Programme.modules),
            selectinload(Course.plan).selectinload(PlanEntry.module),
        )
    return (
        _with_instructors(statement)
        .options(
            contains_eager(Course.instructors),
            *_course_options(joinedload, quotas, instructors=False),
            *extra,
        )
        .order_by(User.full_name)
    )


def one_course_or_404(course_id: int, quotas: bool = False, plan: bool = False) -> Course:
    """One course and what its days and its access need, in a single statement, or 404.

    Its instructors, holidays and cancelled days are a handful each: joined, they cost a
    few rows and save three round trips (the instructors plainly: `_with_instructors`).
    `quotas` (the overview) and `plan` (the calendar) load those too, a statement each.
    A kept statement (core.database.prebuilt): the busiest pages all start here.
    """
    found = db.session.execute(_one_course(quotas, plan), {"course_id": course_id})
    course = found.unique().scalar_one_or_none()
    if course is None:
        abort(404)
    return course


@prebuilt
def _one_enrolment():
    statement = (
        select(Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.id == bindparam("enrolment_id"))
    )
    course = contains_eager(Enrolment.course)
    return (
        _with_instructors(statement)
        .options(
            course.contains_eager(Course.instructors),
            course.options(*_course_options(joinedload, False, instructors=False)),
        )
        .order_by(User.full_name)
    )


def one_enrolment_or_404(enrolment_id: int) -> Enrolment:
    """The enrolment with its course as `one_course_or_404` loads it, in one statement,
    or 404. A kept statement: a trainee's progress is asked for often."""
    found = db.session.execute(_one_enrolment(), {"enrolment_id": enrolment_id})
    enrolment = found.unique().scalar_one_or_none()
    if enrolment is None:
        abort(404)
    return enrolment


@cache
def enrolment_loading() -> tuple:
    """An enrolment's trainee and the trainee's organisation, in the same statement."""
    return (joinedload(Enrolment.trainee).joinedload(Trainee.organisation),)


def module_values(module: Module) -> dict:
    return {
        "code": module.code,
        "title": module.title,
        "title_i18n": module.title_i18n or {},
        "hours": module.hours,
        "kind": module.kind,
        "pass_mark": module.pass_mark,
        "mandatory": module.mandatory,
        "prerequisites": [needed.code for needed in module.prerequisites],
    }


def programme_document(programme: Programme) -> dict:
    return {
        "id": programme.id,
        "version": programme.version,
        "code": programme.code,
        "title": programme.title,
        "qualification": programme.qualification,
        "title_i18n": programme.title_i18n or {},
        "qualification_i18n": programme.qualification_i18n or {},
        "certificate_approvals": programme.certificate_approvals,
        "eod_level": programme.eod_level,
        "eod_modules": programme.eod_modules or [],
        "duration_days": programme.duration_days,
        "attendance_threshold": programme.attendance_threshold,
        "rest_weekdays": programme.rest_weekdays,
        "max_attempts": programme.max_attempts,
        "validity_months": programme.validity_months,
        "hours_per_day": programme.hours_per_day,
        "total_hours": programme.total_hours,
        "modules": [module_values(module) for module in programme.modules],
    }


def course_document(course: Course) -> dict:
    return {
        "id": course.id,
        "version": course.version,
        "programme_id": course.programme_id,
        "code": course.code,
        "title": course.title,
        "start_date": course.start_date,
        "end_date": course.end_date,
        "location": course.location,
        "title_i18n": course.title_i18n or {},
        "location_i18n": course.location_i18n or {},
        "capacity": course.capacity,
        "status": course.status,
        "quotas": {quota.organisation.code: quota.max_trainees for quota in course.quotas},
        "instructor_ids": [user.id for user in course.instructors],
        "holidays": [holiday.day for holiday in course.holidays],
        "training_days": course_training_days(course),
        "cancelled_days": [
            {"date": cancelled.day, "reason": cancelled.reason}
            for cancelled in course.cancelled_days
        ],
    }
