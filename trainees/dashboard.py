"""What the trainee's own dashboard says: what is missing now, what is still ahead, at risk.

Eligibility (progress.py) counts every training day without a record, future ones too,
and "the course has not ended": right for issuing certificates, but a trainee on day 10
would read 35 days as missing. Here those become "N training days still to come".
"""

from collections import Counter, defaultdict
from datetime import date

from flask_babel import ngettext
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from core.database import plain_rows, prebuilt
from core.formats import Rate
from core.formats import lazy_sentence as _l
from courses.attendance_rate import Tally
from courses.plans import course_training_days
from courses.presenters import load_modules
from extensions import db
from models import AttendanceRecord, AttendanceSheet, Course, Enrolment, Module, PlanEntry
from models.certificate import Certificate, CertificateStatus
from trainees.progress import Missing, Progress, evaluate, requirements_of
from trainees.results import results_of

AHEAD = {"course_not_ended", "days_not_recorded"}
RECENT_DAYS = 7


def cards_of(trainee_id: int, today: date) -> list[dict]:
    """One card per enrolment of the trainee, in seven queries however many courses."""
    enrolments = (
        db.session.execute(_enrolments_of(), {"trainee_id": trainee_id}).unique().scalars().all()
    )
    ids = [enrolment.id for enrolment in enrolments]
    load_modules({enrolment.course.programme for enrolment in enrolments})
    certificates = {
        certificate.enrolment_id: certificate
        for certificate in db.session.scalars(_valid_certificates(), {"ids": ids})
    }
    plan = defaultdict(list)  # course id -> [(day, module)] of today and the next planned day
    module_of = {m.id: m for e in enrolments for m in e.course.programme.modules}
    course_ids = [e.course_id for e in enrolments]
    for course_id, day, module_id in plain_rows(
        _plan_ahead(), {"course_ids": course_ids, "today": today}
    ):
        plan[course_id].append((day, module_of.get(module_id) or db.session.get(Module, module_id)))
    days = defaultdict(list)  # enrolment id -> (day, status, note), latest first
    for enrolment_id, day, status, note in plain_rows(_recorded_days(), {"ids": ids}):
        days[enrolment_id].append((day, status, note))
    attempts = results_of(ids, brief=True)
    cards = []
    for enrolment in enrolments:
        course = enrolment.course
        recorded = days[enrolment.id]
        tally = Tally(Counter(status for _day, status, _note in recorded))
        training = course_training_days(course)
        progress = evaluate(enrolment, requirements_of(course, training), attempts, tally, today)
        missing, days_ahead = missing_now(progress, training, {day for day, *_ in recorded}, today)
        cards.append(
            {
                "enrolment": enrolment,
                "progress": progress,
                "missing": missing,
                "days_ahead": days_ahead,
                **_plan_days(plan[course.id], today),
                "recent": recorded[:RECENT_DAYS],
                "certificate": certificates.get(enrolment.id),
            }
        )
    return cards


# The dashboard's statements, kept (core.database.prebuilt): building them cost a
# fifth of the page, which every trainee opens many times a day.
@prebuilt
def _enrolments_of():
    return (
        select(Enrolment)
        .where(Enrolment.trainee_id == bindparam("trainee_id"))
        .options(
            joinedload(Enrolment.course).options(
                joinedload(Course.programme),
                joinedload(Course.holidays),
                joinedload(Course.cancelled_days),
            )
        )
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id)
    )


@prebuilt
def _valid_certificates():
    return select(Certificate).where(
        Certificate.enrolment_id.in_(bindparam("ids", expanding=True)),
        Certificate.status == CertificateStatus.VALID,
    )


@prebuilt
def _plan_ahead():
    """Each course's plan for today and for its next planned day, and no further: the
    card shows only these two, and a course's remaining plan is dozens of entries."""
    later = aliased(PlanEntry)
    next_day = (
        select(func.min(later.day))
        .where(later.course_id == PlanEntry.course_id, later.day > bindparam("today"))
        .scalar_subquery()
    )
    return (
        select(PlanEntry.course_id, PlanEntry.day, PlanEntry.module_id)
        .where(
            PlanEntry.course_id.in_(bindparam("course_ids", expanding=True)),
            or_(PlanEntry.day == bindparam("today"), PlanEntry.day == next_day),
        )
        .order_by(PlanEntry.day, PlanEntry.id)
    )


@prebuilt
def _recorded_days():
    return (
        select(
            AttendanceRecord.enrolment_id,
            AttendanceSheet.day,
            AttendanceRecord.status,
            AttendanceRecord.note,
        )
        .join(AttendanceSheet, AttendanceSheet.id == AttendanceRecord.sheet_id)
        .where(AttendanceRecord.enrolment_id.in_(bindparam("ids", expanding=True)))
        .order_by(AttendanceSheet.day.desc())
    )


def _plan_days(entries: list[tuple[date, Module]], today: date) -> dict:
    """Today's modules and those of the next training day with a plan."""
    later = [(day, module) for day, module in entries if day > today]
    next_day = later[0][0] if later else None
    return {
        "today_modules": [module for day, module in entries if day == today],
        "next_day": next_day,
        "next_modules": [module for day, module in later if day == next_day],
    }


def missing_now(
    progress: Progress, training: list[date], recorded: set[date], today: date
) -> tuple[list[Missing], int]:
    """What is missing today (past days without a record included), and training days ahead."""
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
                    "Below %(t)d%% attendance now (%(rate)s%%).",
                    t=progress.threshold,
                    rate=Rate(progress.attendance_rate),
                )
            )
        )
    return found + progress.at_risk()
