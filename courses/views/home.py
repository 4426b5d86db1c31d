"""The administrator's and the instructor's home pages."""

from datetime import timedelta

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from auth.permissions import roles
from auth.policy import visible_courses
from core import clock
from courses import bp
from courses.plans import course_training_days
from courses.presenters import course_loading
from extensions import db
from models import AttendanceSheet, Course, CourseStatus, Organisation
from models.account import Role, User

STILL_SHOWN_AFTER_END = timedelta(days=31)


@bp.route("/admin")
@roles(Role.ADMIN)
def admin_home():
    """The administrator's overview."""
    accounts = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.code)).all()
    return render_template(
        "courses/admin_home.html", accounts=accounts, organisations=organisations
    )


@bp.route("/instructor")
@roles(Role.INSTRUCTOR)
def instructor_home():
    """The instructor's day: for each course, today's sheet and whether it is recorded."""
    today = clock.today()
    courses = db.session.scalars(
        visible_courses(current_user)
        .where(
            Course.status.in_([CourseStatus.OPEN, CourseStatus.IN_PROGRESS, CourseStatus.PLANNED]),
            # A course nobody marked completed drops off a month after its last day: the
            # instructor's day is not a list of every course they ever taught.
            Course.end_date >= today - STILL_SHOWN_AFTER_END,
        )
        .options(*course_loading())
        .order_by(Course.start_date)
    ).all()
    sheets = {
        sheet.course_id: sheet
        for sheet in db.session.scalars(
            select(AttendanceSheet)
            .where(
                AttendanceSheet.day == today,
                AttendanceSheet.course_id.in_([course.id for course in courses]),
            )
            .options(selectinload(AttendanceSheet.recorded_by))
        )
    }
    training_today = {course.id: today in course_training_days(course) for course in courses}
    # A day cancelled for the weather says so, with the reason everyone was told.
    cancelled_today = {
        course.id: cancelled.reason
        for course in courses
        for cancelled in course.cancelled_days
        if cancelled.day == today
    }
    return render_template(
        "courses/instructor_home.html",
        courses=courses,
        today=today,
        sheets=sheets,
        training_today=training_today,
        cancelled_today=cancelled_today,
    )
