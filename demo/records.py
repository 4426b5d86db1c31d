"""The demo's history: the attendance register, module results and certificates."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from auth.accounts import find_user_by_email
from core import clock
from courses.plans import course_training_days
from extensions import db
from models import (
    AttendanceRecord,
    AttendanceSheet,
    AttendanceStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    ModuleResult,
)
from models.certificate import Certificate
from trainees.certificates.issuing import issue_course, reissue, revoke
from trainees.results import record_results, refusal_for, results_of


def demo_status(index: int, day_index: int, below_threshold: bool) -> str:
    """A believable register: mostly present, some late, a few absent or excused."""
    if below_threshold and day_index % 6 == 2:
        return AttendanceStatus.ABSENT
    if (index * 7 + day_index) % 23 == 0:
        return AttendanceStatus.LATE
    if (index * 5 + day_index) % 41 == 0:
        return AttendanceStatus.ABSENT
    if (index + day_index) % 37 == 0:
        return AttendanceStatus.EXCUSED
    return AttendanceStatus.PRESENT


def seed_attendance(course: Course) -> None:
    """Every training day of the course up to yesterday, as the instructors recorded it.

    Written directly, as history: the rules for taking attendance today (the
    correction window) do not apply to a register that is being seeded.
    """
    if db.session.scalar(select(AttendanceSheet.id).where(AttendanceSheet.course_id == course.id)):
        return
    enrolments = sorted(course_enrolments(course), key=lambda e: e.id)
    instructors = course.instructors
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    days = [day for day in course_training_days(course) if day < clock.today()]
    for day_index, day in enumerate(days):
        recorder = instructors[day_index % len(instructors)]
        at = datetime.combine(day, time(17, 0), zone)
        sheet = AttendanceSheet(course=course, day=day, recorded_by=recorder, recorded_at=at)
        db.session.add(sheet)
        for index, enrolment in enumerate(enrolments):
            status = demo_status(index, day_index, below_threshold=index == 3)
            note = {"late": "Transport delay", "excused": "Medical appointment"}.get(status, "")
            sheet.records.append(
                AttendanceRecord(
                    enrolment=enrolment,
                    status=status,
                    note=note,
                    recorded_by_id=recorder.id,
                    recorded_at=at,
                )
            )
    db.session.flush()


def demo_result(module, index: int, attempt: int) -> dict:
    """A score (theory) or pass/fail; trainee 5 fails RECOG once, trainee 7 fails DRILL twice."""
    failing = (module.code == "RECOG" and index == 5 and attempt == 1) or (
        module.code == "DRILL" and index == 7
    )
    if module.scored:
        score = 62 if failing else 70 + (index * 13 + module.position * 7) % 30
        return {"score": max(score, module.pass_mark) if not failing else score}
    return {"passed": not failing}


def seed_results(course: Course) -> None:
    """Results of every module already taught, through the rules (as the assessors did)."""
    if db.session.scalar(
        select(ModuleResult.id).join(Enrolment).where(Enrolment.course_id == course.id).limit(1)
    ):
        return
    last_day: dict[int, date] = {}
    for entry in course.plan:
        last_day[entry.module_id] = max(entry.day, last_day.get(entry.module_id, entry.day))
    enrolments = [
        e
        for e in sorted(course_enrolments(course), key=lambda e: e.id)
        if e.status != EnrolmentStatus.WITHDRAWN
    ]
    instructors = course.instructors
    for position, module in enumerate(course.programme.modules):
        day = last_day.get(module.id)
        if day is None or day >= clock.today():
            continue  # not taught yet
        assessor = instructors[position % len(instructors)]
        for attempt in (1, 2):
            taken = results_of([e.id for e in enrolments])
            rows = []
            for index, enrolment in enumerate(enrolments):
                if attempt == 2 and not _failed_first(module, index):
                    continue
                if refusal_for(enrolment, module, taken):
                    continue  # a prerequisite failed: this trainee cannot sit the module
                rows.append(
                    (enrolment, {**demo_result(module, index, attempt), "assessed_on": day})
                )
            if rows:
                record_results(course, module, rows, assessor)


def _failed_first(module, index: int) -> bool:
    result = demo_result(module, index, 1)
    return result.get("passed") is False or (
        "score" in result and result["score"] < module.pass_mark
    )


def seed_certificates(course: Course) -> None:
    """The 2021 course's certificates: all eligible issued, one revoked, one reissued."""
    if db.session.scalar(
        select(Certificate.id).join(Enrolment).where(Enrolment.course_id == course.id).limit(1)
    ):
        return
    admin = find_user_by_email("admin@demo.example.org")
    issued, _refused = issue_course(course, admin)
    if len(issued) >= 2:
        revoke(issued[0], "Medical clearance withdrawn after the course")
        reissue(issued[1], admin)
    db.session.flush()


def course_enrolments(course: Course) -> list[Enrolment]:
    return db.session.scalars(select(Enrolment).where(Enrolment.course_id == course.id)).all()
