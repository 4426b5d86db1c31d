"""The trainee's own pages."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.permissions import roles
from core import clock
from extensions import db
from models import AttendanceRecord, AttendanceSheet, Course, Enrolment, PlanEntry
from models.account import Role
from models.certificate import Certificate, CertificateStatus
from trainees import bp
from trainees.progress import enrolment_progress


def _plan_days(course: Course, today):
    """Today's modules and those of the next training day with a plan."""
    entries = db.session.scalars(
        select(PlanEntry)
        .where(PlanEntry.course_id == course.id, PlanEntry.day >= today)
        .options(selectinload(PlanEntry.module))
        .order_by(PlanEntry.day)
    ).all()
    today_modules = [entry.module for entry in entries if entry.day == today]
    later = [entry for entry in entries if entry.day > today]
    next_day = later[0].day if later else None
    next_modules = [entry.module for entry in later if entry.day == next_day]
    return today_modules, next_day, next_modules


def _recent_attendance(enrolment: Enrolment) -> list[tuple]:
    return db.session.execute(
        select(AttendanceSheet.day, AttendanceRecord.status, AttendanceRecord.note)
        .join(AttendanceRecord, AttendanceRecord.sheet_id == AttendanceSheet.id)
        .where(AttendanceRecord.enrolment_id == enrolment.id)
        .order_by(AttendanceSheet.day.desc())
        .limit(7)
    ).all()


@bp.route("/me")
@roles(Role.TRAINEE)
def dashboard():
    """The trainee's dashboard: progress, attendance, the plan, what is still missing."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.trainee_id == current_user.trainee_id)
        .options(selectinload(Enrolment.course).selectinload(Course.programme))
        .order_by(Enrolment.enrolled_at.desc())
    ).all()
    today = clock.today()
    certificates = {
        certificate.enrolment_id: certificate
        for certificate in db.session.scalars(
            select(Certificate).where(
                Certificate.enrolment_id.in_([e.id for e in enrolments]),
                Certificate.status == CertificateStatus.VALID,
            )
        )
    }
    cards = []
    for enrolment in enrolments:
        today_modules, next_day, next_modules = _plan_days(enrolment.course, today)
        cards.append(
            {
                "enrolment": enrolment,
                "progress": enrolment_progress(enrolment),
                "today_modules": today_modules,
                "next_day": next_day,
                "next_modules": next_modules,
                "recent": _recent_attendance(enrolment),
                "certificate": certificates.get(enrolment.id),
            }
        )
    return render_template("trainees/dashboard.html", cards=cards, today=today)
