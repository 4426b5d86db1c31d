"""The import page: upload a CSV or XLSX file, read the report beside it."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from auth.permissions import roles
from core.saving import kept, save
from core.translated import localised
from extensions import db
from models import Course, CourseStatus
from models.account import Role
from trainees import bp
from trainees.bulk_enrolment import course_to_enrol_into, import_and_enrol
from trainees.forms import ImportForm
from trainees.importing import COLUMNS, ImportRefused, read_rows

OPEN_TO_ENROLMENT = (CourseStatus.PLANNED, CourseStatus.OPEN, CourseStatus.IN_PROGRESS)


def _imported(file: str, course: Course | None, created: list, enrolled: list) -> str:
    """What the import did, in the words flashed after it."""
    message = ngettext(
        "%(num)d trainee imported from %(file)s.",
        "%(num)d trainees imported from %(file)s.",
        len(created),
        file=file,
    )
    if course is None:
        return message
    enrolled_message = ngettext(
        "%(num)d trainee enrolled in %(code)s.",
        "%(num)d trainees enrolled in %(code)s.",
        len(enrolled),
        code=course.code,
    )
    return f"{message} {enrolled_message}"


def _course_choices() -> list[SelectChoice]:
    courses = db.session.scalars(
        select(Course).where(Course.status.in_(OPEN_TO_ENROLMENT)).order_by(Course.start_date)
    )
    return [SelectChoice("", _("No, only import them"))] + [
        SelectChoice(str(course.id), f"{course.code} · {localised(course, 'title')}")
        for course in courses
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

        def import_file():
            course = course_to_enrol_into(int(form.course_id.data)) if form.course_id.data else None
            return (course, *import_and_enrol(read_rows(upload.filename, upload.read()), course))

        saved = save(import_file, lambda done: _imported(upload.filename, *done), kept)
        if saved:
            course = saved.value[0]
            if course is None:
                return redirect(url_for("trainees.trainee_list"))
            return redirect(url_for("trainees.roster", course_id=course.id))
        if isinstance(saved.refusal, ImportRefused):
            report = saved.refusal
        else:
            form.course_id.errors = [str(saved.refusal.message)]
    status = 422 if request.method == "POST" else 200
    return render_template(
        "trainees/import.html", form=form, report=report, columns=COLUMNS
    ), status
