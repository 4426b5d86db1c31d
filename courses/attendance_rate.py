"""The attendance rate: one definition for every page, export and API answer."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from sqlalchemy import bindparam, func, select

from core.database import plain_rows, prebuilt
from models import AttendanceRecord, AttendanceSheet, Course


# Both are pure functions of four small counts, asked for every trainee on every list
# (and several times on a matrix): kept, since exact fractions and decimals are slow.
@lru_cache(maxsize=8192)
def exact_rate(present: int, late: int, excused: int, recorded: int) -> Fraction | None:
    """(present + late) / (recorded training days - excused days), in percent, exactly.

    The one definition of the rate. None when no day counts yet (nothing recorded,
    or every recorded day excused): no rate is guessed. Thresholds compare this
    exact value: 80.95 % does not meet 81 % because it shows as 81.0.
    """
    counted = recorded - excused
    if counted <= 0:
        return None
    return Fraction(100 * (present + late), counted)


@lru_cache(maxsize=8192)
def attendance_rate(present: int, late: int, excused: int, recorded: int) -> float | None:
    """The rate as every page, export and API answer shows it: one decimal, halves up."""
    exact = exact_rate(present, late, excused, recorded)
    if exact is None:
        return None
    shown = Decimal(exact.numerator) / Decimal(exact.denominator)
    return float(shown.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Tally:
    """One trainee's recorded days, by status."""

    counts: Counter = field(default_factory=Counter)

    @property
    def recorded(self) -> int:
        return sum(self.counts.values())

    @property
    def rate(self) -> float | None:
        return attendance_rate(
            self.counts["present"], self.counts["late"], self.counts["excused"], self.recorded
        )

    def below(self, threshold: int) -> bool:
        """Strictly below the threshold, compared exactly (not after rounding)."""
        counts = self.counts
        return _below(
            counts["present"], counts["late"], counts["excused"], self.recorded, threshold
        )


@lru_cache(maxsize=8192)
def _below(present: int, late: int, excused: int, recorded: int, threshold: int) -> bool:
    exact = exact_rate(present, late, excused, recorded)
    return exact is not None and exact < threshold


def tallies(course: Course) -> dict[int, Tally]:
    """Each enrolment's counts by status: one aggregate query for the whole course."""
    return courses_tallies([course.id])


def courses_tallies(course_ids: list[int]) -> dict[int, Tally]:
    """`tallies` of several courses at once (enrolment ids are unique): still one query."""
    counted = _counted_by(course_ids, "enrolment")
    return {enrolment_id: Tally(counts) for enrolment_id, counts in counted.items()}


def enrolments_tallies(enrolment_ids: list[int]) -> dict[int, Tally]:
    """The counts of these enrolments only, whatever their courses: one query."""
    rows = plain_rows(_enrolments_counts(), {"ids": enrolment_ids})
    result: dict[int, Tally] = {}
    for enrolment_id, status, count in rows:
        result.setdefault(enrolment_id, Tally()).counts[status] = count
    return result


@prebuilt
def _enrolments_counts():
    # A trainee's progress is asked on every dashboard and progress call: counting the
    # whole course's records for one of its trainees did 60 times the work.
    return (
        select(AttendanceRecord.enrolment_id, AttendanceRecord.status, func.count())
        .where(AttendanceRecord.enrolment_id.in_(bindparam("ids", expanding=True)))
        .group_by(AttendanceRecord.enrolment_id, AttendanceRecord.status)
    )


def day_counts(course: Course) -> dict[date, Counter]:
    """Each recorded day's records by status: one aggregate query for the whole course."""
    return _counted_by([course.id], "day")


def _counted_by(course_ids: list[int], by: str) -> dict:
    """The courses' records counted by enrolment or by day, and status: {key: Counter}."""
    rows = plain_rows(_counts_by(by), {"course_ids": course_ids})
    result: dict = {}
    for value, status, count in rows:
        result.setdefault(value, Counter())[status] = count
    return result


@prebuilt
def _counts_by(by: str):
    key = {"enrolment": AttendanceRecord.enrolment_id, "day": AttendanceSheet.day}[by]
    return (
        select(key, AttendanceRecord.status, func.count())
        .join(AttendanceSheet, AttendanceSheet.id == AttendanceRecord.sheet_id)
        .where(AttendanceSheet.course_id.in_(bindparam("course_ids", expanding=True)))
        .group_by(key, AttendanceRecord.status)
    )
