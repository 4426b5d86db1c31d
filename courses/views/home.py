"""The administrator's and the instructor's home pages."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from auth.models import Role, User
from auth.permissions import roles
from core import clock
from courses import bp
from courses.access import visible_courses
from courses.models import Course, CourseStatus, Organisation
from extensions import db


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
    """The instructor's day: the courses they teach."""
    courses = db.session.scalars(
        visible_courses(current_user)
        .where(
            Course.status.in_([CourseStatus.OPEN, CourseStatus.IN_PROGRESS, CourseStatus.PLANNED])
        )
        .order_by(Course.start_date)
    ).all()
    return render_template("courses/instructor_home.html", courses=courses, today=clock.today())
