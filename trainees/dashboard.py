"""What the trainee's own dashboard says: what is missing now, what is still ahead, at risk.

Eligibility (progress.py) counts every training day without a record, future ones too,
and "the course has not ended": right for issuing certificates, but a trainee on day 10
would read 35 days as missing. Here those become "N training days still to come".
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from courses.plans import course_training_days
from extensions import db
from models import AttendanceRecord, AttendanceSheet
from trainees.progress import Missing, Progress

AHEAD = {"course_not_ended", "days_not_recorded"}


def missing_now(progress: Progress, today: date) -> tuple[list[Missing], int]:
    """What is missing today (past days without a record included), and training days ahead."""
    course = progress.enrolment.course
    training = course_training_days(course)
    recorded = set(
        db.session.scalars(
            select(AttendanceSheet.day)
            .join(AttendanceRecord, AttendanceRecord.sheet_id == AttendanceSheet.id)
            .where(AttendanceRecord.enrolment_id == progress.enrolment.id)
        )
    )
    unrecorded = [day for day in training if day < today and day not in recorded]
    items = [item for item in progress.missing if item.code not in AHEAD]
    if unrecorded:
        message = ngettext(
            "%(num)d past training day has no attendance record.",
            "%(num)d past training days have no attendance record.",
            len(unrecorded),
        )
        items.append(Missing("days_not_recorded", message))
    return items, sum(1 for day in training if day >= today)


def risks(progress: Progress) -> list[str]:
    """Both meanings of "at risk": below the threshold now, and out of reach for good."""
    found = []
    if progress.attendance_rate is not None and progress.tally.below(progress.threshold):
        found.append(
            str(
                _l(
                    "Below %(t)d%% attendance now (%(rate).1f%%).",
                    t=progress.threshold,
                    rate=progress.attendance_rate,
                )
            )
        )
    return found + progress.at_risk()
