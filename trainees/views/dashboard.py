"""The trainee's own pages."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.models import Role
from auth.permissions import roles
from courses.models import Course, Enrolment
from extensions import db
from trainees import bp


@bp.route("/me")
@roles(Role.TRAINEE)
def dashboard():
    """The trainee's dashboard: their courses (progress comes with results)."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.trainee_id == current_user.trainee_id)
        .options(selectinload(Enrolment.course).selectinload(Course.programme))
        .order_by(Enrolment.enrolled_at.desc())
    ).all()
    return render_template("trainees/dashboard.html", enrolments=enrolments)
