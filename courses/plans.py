"""A course's calendar: its training days and the stored module plan."""

from collections import defaultdict
from datetime import date

from core import clock
from core.errors import Conflict, Invalid
from core.formats import lazy_sentence as _l
from courses import schedule
from extensions import db
from models import Course, PlanEntry


def course_training_days(course: Course) -> list[date]:
    # A cancelled day is on no sheet and never "not recorded": it is simply not a training day.
    return schedule.training_days(
        course.start_date,
        course.end_date,
        course.programme.rest_weekdays,
        [holiday.day for holiday in course.holidays]
        + [cancelled.day for cancelled in course.cancelled_days],
    )


def scheduled_end(course: Course) -> date:
    """The programme's last day, moved on by one training day for each day made up."""
    end = schedule.end_date(course.start_date, course.programme.duration_days)
    return schedule.extend_end(
        end,
        sum(1 for cancelled in course.cancelled_days if cancelled.made_up),
        course.programme.rest_weekdays,
        [holiday.day for holiday in course.holidays]
        + [cancelled.day for cancelled in course.cancelled_days],
    )


def _module_hours(course: Course) -> list[tuple[str, int]]:
    return [(module.code, module.hours) for module in course.programme.modules]


def does_not_fit(error: schedule.PlanDoesNotFit) -> Invalid:
    message = _l(
        "The modules do not fit: they need %(needed)d training days, the course has %(available)d.",
        needed=error.days_needed,
        available=error.days_available,
    )
    return Invalid(message)


def store_plan(course: Course, blocks: list[schedule.Block]) -> None:
    modules = {module.code: module for module in course.programme.modules}
    course.plan_changed_at = clock.now()  # also moves the course's version on
    # Delete first: a flush inserts before it deletes, and the new rows may repeat old ones.
    course.plan = []
    db.session.flush()
    course.plan = [
        PlanEntry(module=modules[block.module_code], day=block.day, hours=block.hours)
        for block in blocks
    ]
    db.session.flush()


def check_holidays(course: Course, days: list[date]) -> None:
    """Every holiday falls within the course's dates."""
    outside = [day for day in days if not course.start_date <= day <= course.end_date]
    if outside:
        raise Invalid(
            _l("Holidays must fall within the course."),
            {
                "holidays": [
                    _l(
                        "%(day)s is outside the course (%(start)s to %(end)s).",
                        day=day,
                        start=course.start_date,
                        end=course.end_date,
                    )
                    for day in outside
                ]
            },
        )


def refresh_schedule(course: Course) -> None:
    """Recompute the end date, check the holidays, make the plan anew in programme order."""
    course.end_date = scheduled_end(course)
    check_holidays(course, [holiday.day for holiday in course.holidays])
    # No flush while reading the modules: a new course is written once, with its plan.
    with db.session.no_autoflush:
        try:
            blocks = schedule.generate_plan(
                _module_hours(course), course_training_days(course), course.programme.hours_per_day
            )
        except schedule.PlanDoesNotFit as error:
            raise does_not_fit(error) from error
    store_plan(course, blocks)


def set_plan(course: Course, version: int, chosen_days: dict[str, list[date]]) -> None:
    """An administrator's plan: which training days each module is taught on."""
    if version != course.version:
        raise Conflict(_l("Someone else changed this course; reload it and try again."))
    unknown = sorted(set(chosen_days) - {code for code, _ in _module_hours(course)})
    if unknown:
        raise Invalid(
            _l("Not modules of this programme: %(codes)s.", codes=", ".join(unknown)),
            {"plan": [_l("Not modules of this programme: %(codes)s.", codes=", ".join(unknown))]},
        )
    try:
        blocks = schedule.allocate_plan(
            _module_hours(course),
            chosen_days,
            course_training_days(course),
            course.programme.hours_per_day,
        )
    except schedule.PlanProblem as problem:
        raise Invalid(problem.message, {"plan": [problem.message]}) from problem
    store_plan(course, blocks)


def plan_by_day(course: Course) -> list[dict]:
    """Every training day with the modules taught on it (API.md's plan)."""
    codes: dict[date, list[str]] = defaultdict(list)
    for entry in course.plan:
        codes[entry.day].append(entry.module.code)
    return [{"date": day, "modules": codes.get(day, [])} for day in course_training_days(course)]


def days_by_module(course: Course) -> dict[str, list[date]]:
    days: dict[str, list[date]] = defaultdict(list)
    for entry in course.plan:
        days[entry.module.code].append(entry.day)
    return dict(days)
