"""The import page: upload a CSV or XLSX file, read the report beside it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from auth.permissions import roles
from core.errors import RuleBroken
from extensions import db
from models import Course, CourseStatus
from models.account import Role
from trainees import bp
from trainees.bulk_enrolment import course_to_enrol_into, import_and_enrol
from trainees.forms import ImportForm
from trainees.importing import COLUMNS, ImportRefused, read_rows

OPEN_TO_ENROLMENT = (CourseStatus.PLANNED, CourseStatus.OPEN, CourseStatus.IN_PROGRESS)


def _course_choices() -> list[SelectChoice]:
    courses = db.session.scalars(
        select(Course).where(Course.status.in_(OPEN_TO_ENROLMENT)).order_by(Course.start_date)
    )
    return [SelectChoice("", _("No, only import them"))] + [
        SelectChoice(str(course.id), f"{course.code} · {course.title}") for course in courses
    ]


@bp.route("/trainees/import", methods=["GET", "POST"])
@roles(Role.ADMIN)
def import_page():
    """Import trainees (and enrol them in a course): every row or none, bad rows listed."""
    form = ImportForm()
    form.course_id.choices = _course_choices()
    if request.method == "GET":
        form.course_id.data = request.args.get("course_id", "")
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            course = course_to_enrol_into(int(form.course_id.data)) if form.course_id.data else None
            created, enrolled = import_and_enrol(read_rows(upload.filename, upload.read()), course)
        except ImportRefused as refusal:
            db.session.rollback()
            report = refusal
        except RuleBroken as refusal:
            db.session.rollback()
            form.course_id.errors = [str(refusal.message)]
        else:
            db.session.commit()
            message = ngettext(
                "%(num)d trainee imported from %(file)s.",
                "%(num)d trainees imported from %(file)s.",
                len(created),
                file=upload.filename,
            )
            if course is None:
                flash(message, "success")
                return redirect(url_for("trainees.trainee_list"))
            enrolled_message = ngettext(
                "%(num)d trainee enrolled in %(code)s.",
                "%(num)d trainees enrolled in %(code)s.",
                len(enrolled),
                code=course.code,
            )
            flash(f"{message} {enrolled_message}", "success")
            return redirect(url_for("trainees.roster", course_id=course.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "trainees/import.html", form=form, report=report, columns=COLUMNS
    ), status
