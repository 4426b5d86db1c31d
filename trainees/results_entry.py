"""Who may take an attempt at a module now, and whether the plan has reached the module."""

from datetime import date

from core import clock
from courses.plans import days_by_module
from models import Course, Module
from trainees.progress import Progress
from trainees.results import refusal_for, results_of


def split_by_eligibility(
    module: Module, rows: list[Progress]
) -> tuple[list[Progress], list[tuple[Progress, str]]]:
    """The trainees offered a new attempt, and the others with the reason in words."""
    attempts = results_of([item.enrolment.id for item in rows])
    offered, refused = [], []
    for item in rows:
        reason = refusal_for(item.enrolment, module, attempts)
        if reason is None:
            offered.append(item)
        else:
            refused.append((item, str(reason)))
    return offered, refused


def plan_ahead_of(course: Course) -> dict[str, date]:
    """Module code -> its first planned day, for the modules the plan has not reached yet."""
    today = clock.today()
    firsts = {code: min(days) for code, days in days_by_module(course).items() if days}
    return {code: first for code, first in firsts.items() if first > today}


def plan_reaches_on(course: Course, module: Module) -> date | None:
    """The module's first planned day when that is still ahead, else None."""
    days = days_by_module(course).get(module.code)
    if days and min(days) > clock.today():
        return min(days)
    return None
