"""Course pages: the list, the form, the overview and status moves."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from auth.permissions import roles
from auth.policy import require_view, visible_courses
from core import clock
from core.confirmation import NOT_CONFIRMED, confirmed
from core.forms import BaseForm
from core.saving import create_or_update, next_to_fields, save
from core.translated import localised
from core.urls import page_number
from courses import bp, schedule
from courses.courses import (
    MOVES,
    PER_PAGE,
    STATUS_NAMES,
    change_status,
    create_course,
    filtered,
    overlapping_bookings,
    update_course,
)
from courses.forms import CourseForm, Version
from courses.plans import course_training_days
from courses.presenters import course_loading, one_course_or_404
from extensions import db
from models import Course, CourseStatus, Organisation, Programme
from models.account import Role, User


class StatusForm(BaseForm):
    version = Version()


def course_form(course: Course | None):
    """The course form, with one quota field per organisation."""
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.code)).all()

    class Form(CourseForm):
        pass

    for organisation in organisations:
        setattr(
            Form,
            f"quota_{organisation.id}",
            IntegerField(organisation.code, validators=[Optional(), NumberRange(0, 10_000)]),
        )
    form = Form(obj=course)
    form.quota_fields = [(o, getattr(form, f"quota_{o.id}")) for o in organisations]
    form.programme_id.choices = [
        SelectChoice(p.id, f"{p.code} · {localised(p, 'title')}")
        for p in db.session.scalars(select(Programme).order_by(Programme.code))
    ]
    form.instructor_ids.choices = [
        SelectChoice(user.id, user.full_name)
        for user in db.session.scalars(
            select(User)
            .where(User.role == Role.INSTRUCTOR, User.active.is_(True))
            .order_by(User.full_name)
        )
    ]
    if course is not None and request.method == "GET":
        form.instructor_ids.data = [user.id for user in course.instructors]
        form.holidays.data = "\n".join(h.day.isoformat() for h in course.holidays)
        quotas = {quota.organisation_id: quota.max_trainees for quota in course.quotas}
        for organisation, field in form.quota_fields:
            field.data = quotas.get(organisation.id)
    return form


@bp.route("/courses")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def course_list():
    """Courses with their progress; instructors see the courses they teach."""
    status = request.args.get("status")
    q = request.args.get("q", "")[:100]
    year_text = request.args.get("year", "")
    year = int(year_text) if year_text.isdecimal() and len(year_text) == 4 else None
    statement = filtered(visible_courses(current_user), q, status, year)
    page = db.paginate(
        statement.options(*course_loading()).order_by(Course.start_date.desc(), Course.id),
        page=page_number(),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
    )
    courses = list(page.items)
    today = clock.today()
    progress = {
        course.id: (
            schedule.day_number(course.start_date, course.end_date, today),
            (course.end_date - course.start_date).days + 1,
        )
        for course in courses
    }
    return render_template(
        "courses/course_list.html",
        courses=courses,
        progress=progress,
        page=page,
        q=q,
        year=year,
        status=status,
        status_names=STATUS_NAMES,
    )


@bp.route("/courses/new", methods=["GET", "POST"])
@bp.route("/courses/<id:course_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def course_form_page(course_id: int | None = None):
    """Schedule a course, or change one."""
    course = db.get_or_404(Course, course_id) if course_id else None
    form = course_form(course)
    if form.validate_on_submit() and (holidays := form.holiday_dates()) is not None:
        values = {
            "programme_id": form.programme_id.data,
            "code": form.code.data,
            "title": form.title.data,
            "title_i18n": form.title_i18n.data,
            "location_i18n": form.location_i18n.data,
            "start_date": form.start_date.data,
            "location": form.location.data,
            "capacity": form.capacity.data,
            "instructor_ids": form.instructor_ids.data,
            "holidays": holidays,
            "quotas": {o.code: f.data for o, f in form.quota_fields if f.data is not None},
        }
        saved = save(
            create_or_update(course, create_course, update_course, form.version.data, values),
            lambda saved: _("Course %(code)s saved.", code=saved.code),
            next_to_fields(form, {f"quotas.{o.code}": f for o, f in form.quota_fields}),
        )
        if saved:
            return redirect(url_for("courses.course_page", course_id=saved.value.id))
    status = 422 if request.method == "POST" else 200
    return render_template("courses/course_form.html", form=form, course=course), status


@bp.route("/courses/<id:course_id>")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def course_page(course_id: int):
    """A course's overview tab."""
    course = one_course_or_404(course_id, quotas=True)
    require_view(current_user, course)
    today = clock.today()
    return render_template(
        "courses/course_page.html",
        course=course,
        tab="overview",
        training_days=course_training_days(course),
        day=schedule.day_number(course.start_date, course.end_date, today),
        moves=sorted(MOVES[CourseStatus(course.status)]),
        status_names=STATUS_NAMES,
        status_form=StatusForm(version=course.version),
        overlaps=overlapping_bookings(course),
    )


@bp.route("/courses/<id:course_id>/status/<status>", methods=["POST"])
@roles(Role.ADMIN)
def course_status(course_id: int, status: str):
    """Move a course to another status."""
    course = db.get_or_404(Course, course_id)
    form = StatusForm()
    if status not in set(CourseStatus) or not form.validate_on_submit():
        flash(
            _("The form expired or came from elsewhere. Reload the page and try again."), "danger"
        )
    elif status == CourseStatus.CANCELLED and not confirmed():
        flash(str(NOT_CONFIRMED), "danger")
    elif form.version.data != course.version:
        flash(_("Someone else changed this course; reload it and try again."), "danger")
    else:
        save(
            lambda: change_status(course, status),
            lambda _saved: _(
                "The course is now %(status)s.", status=STATUS_NAMES[CourseStatus(status)]
            ),
        )
    return redirect(url_for("courses.course_page", course_id=course_id))
