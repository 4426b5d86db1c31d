"""Records as the API documents them, and the eager loading that keeps lists cheap."""

from sqlalchemy.orm import selectinload

from courses.plans import course_training_days
from models import Course, CourseQuota, Enrolment, Module, PlanEntry, Programme, Trainee

# Loader options are built when called, never at import, so that importing a module
# does not configure the mappers.


def programme_loading() -> tuple:
    return (selectinload(Programme.modules).selectinload(Module.prerequisites),)


def course_loading() -> tuple:
    return (
        selectinload(Course.programme),
        selectinload(Course.instructors),
        selectinload(Course.holidays),
        selectinload(Course.cancelled_days),
        selectinload(Course.quotas).selectinload(CourseQuota.organisation),
    )


def enrolment_loading() -> tuple:
    """An enrolment's trainee and the trainee's organisation, loaded with it."""
    return (selectinload(Enrolment.trainee).selectinload(Trainee.organisation),)


def plan_loading() -> tuple:
    return (
        *course_loading(),
        selectinload(Course.programme).selectinload(Programme.modules),
        selectinload(Course.plan).selectinload(PlanEntry.module),
    )


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
