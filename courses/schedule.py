"""The calendar arithmetic of a course: end date, training days, the module plan.

Pure functions of dates and numbers, so the rules can be tested without a database.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.formats import lazy_sentence as _l


def end_date(start: date, duration_days: int) -> date:
    """Day 1 is the start date, so a 45-day course ends on start + 44."""
    return start + timedelta(days=duration_days - 1)


def extend_end(
    end: date, extra_days: int, rest_weekdays: Iterable[int], days_off: Iterable[date]
) -> date:
    """The end moved on by `extra_days` training days (skipping rest days and days off)."""
    rest = set(rest_weekdays)
    off = set(days_off)
    while extra_days > 0:
        end += timedelta(days=1)
        if end.weekday() not in rest and end not in off:
            extra_days -= 1
    return end


def training_days(
    start: date, end: date, rest_weekdays: Iterable[int], holidays: Iterable[date]
) -> list[date]:
    """The course's dates less its rest weekdays (Monday = 0) and holidays."""
    rest = set(rest_weekdays)
    off = set(holidays)
    days = []
    day = start
    while day <= end:
        if day.weekday() not in rest and day not in off:
            days.append(day)
        day += timedelta(days=1)
    return days


def day_number(start: date, end: date, today: date) -> int:
    """Which calendar day of the course today is: 0 before it starts, capped at the last."""
    if today < start:
        return 0
    return min((today - start).days + 1, (end - start).days + 1)


@dataclass(frozen=True)
class Block:
    """Hours of one module on one day."""

    day: date
    module_code: str
    hours: int


class PlanDoesNotFit(Exception):
    def __init__(self, days_needed: int, days_available: int):
        super().__init__(f"needs {days_needed} training days, the course has {days_available}")
        self.days_needed = days_needed
        self.days_available = days_available


def days_needed(module_hours: Sequence[int], hours_per_day: int) -> int:
    return math.ceil(sum(module_hours) / hours_per_day)


def generate_plan(
    modules: Sequence[tuple[str, int]], days: Sequence[date], hours_per_day: int
) -> list[Block]:
    """Modules in programme order, `hours_per_day` teaching hours a day.

    A module that ends mid-day leaves the rest of the day to the next one.
    """
    needed = days_needed([hours for _, hours in modules], hours_per_day)
    if needed > len(days):
        raise PlanDoesNotFit(needed, len(days))
    blocks = []
    day_index, free = 0, hours_per_day
    for code, hours in modules:
        remaining = hours
        while remaining > 0:
            taught = min(remaining, free)
            blocks.append(Block(days[day_index], code, taught))
            remaining -= taught
            free -= taught
            if free == 0:
                day_index, free = day_index + 1, hours_per_day
    return blocks


class PlanProblem(Exception):
    """An edited plan that cannot be taught; `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def allocate_plan(
    modules: Sequence[tuple[str, int]],
    days_by_module: dict[str, Sequence[date]],
    training: Sequence[date],
    hours_per_day: int,
) -> list[Block]:
    """Spread each module's hours over the days an administrator chose for it.

    Each day holds at most `hours_per_day` hours; modules take their hours in
    programme order, day by day. Raises PlanProblem naming the module or day at fault.
    """
    allowed = set(training)
    used: dict[date, int] = {}
    blocks = []
    for code, hours in modules:
        chosen = sorted(set(days_by_module.get(code, ())))
        if not chosen:
            raise PlanProblem(_l("Module %(code)s has no training day.", code=code))
        for day in chosen:
            if day not in allowed:
                raise PlanProblem(_l("%(day)s is not a training day of this course.", day=day))
        remaining = hours
        for day in chosen:
            taught = min(remaining, hours_per_day - used.get(day, 0))
            if taught > 0:
                blocks.append(Block(day, code, taught))
                used[day] = used.get(day, 0) + taught
                remaining -= taught
        if remaining > 0:
            raise PlanProblem(
                _l(
                    "Module %(code)s needs %(hours)d hours; its days leave room for only "
                    "%(room)d. Give it more training days.",
                    code=code,
                    hours=hours,
                    room=hours - remaining,
                )
            )
    return sorted(blocks, key=lambda block: block.day)


def module_blocks(
    blocks: Sequence[Block], training: Sequence[date]
) -> list[tuple[str, date, date]]:
    """Runs of consecutive training days of one module: (code, first day, last day).

    One calendar event per run; a rest day or holiday inside a run does not break it.
    """
    position = {day: index for index, day in enumerate(training)}
    runs: list[list] = []
    last_index: dict[str, int] = {}
    open_run: dict[str, list] = {}
    for block in sorted(blocks, key=lambda b: (b.day, b.module_code)):
        index = position[block.day]
        run = open_run.get(block.module_code)
        if run is not None and last_index[block.module_code] == index - 1:
            run[2] = block.day
        else:
            run = [block.module_code, block.day, block.day]
            runs.append(run)
            open_run[block.module_code] = run
        last_index[block.module_code] = index
    return [tuple(run) for run in runs]
