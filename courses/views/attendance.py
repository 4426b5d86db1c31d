"""Attendance pages: the day's sheet (made for a phone), the grid, the exports."""

from datetime import date

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from auth.permissions import roles
from auth.policy import may_correct_sheet, require_view
from core import clock
from core.errors import RuleBroken
from core.exports import csv_response, xlsx_response
from core.formats import day_month_numeric, medium_date
from core.forms import BaseForm
from core.saving import kept, save
from core.urls import link_maker
from courses import bp
from courses.attendance import (
    STATUSES,
    attendance_grid,
    check_day,
    correction_window_closed,
    on_sheet,
    save_sheet,
    sheet_of,
)
from courses.offline import opened_token
from courses.presenters import one_course_or_404
from courses.views.sheet_rows import sheet_rows
from models import AttendanceSheet, Course
from models.account import Role

STATUS_NAMES = {
    "present": _l("Present"),
    "late": _l("Late"),
    "absent": _l("Absent"),
    "excused": _l("Excused"),
}
# One sign per status in the grid; the legend explains them (the exports write the codes). The
# letters are each language's initial of the status ("О" for "опоздал"), chosen by the translator.
SYMBOLS = {
    "present": "✓",
    "late": lazy_pgettext("attendance grid: the letter for late", "L"),
    "absent": "✗",
    "excused": lazy_pgettext("attendance grid: the letter for excused", "E"),
}


class SheetForm(BaseForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reason = TextAreaField(_l("Why is this old sheet changed?"), validators=[Length(max=2000)])


def _course(course_id: int) -> Course:
    course = one_course_or_404(course_id)
    require_view(current_user, course)
    return course


@bp.route("/courses/<id:course_id>/attendance/<isodate:day>", methods=["GET", "POST"])
@roles(Role.ADMIN, Role.INSTRUCTOR)
def attendance_sheet(course_id: int, day: date):
    """The day's sheet: everyone present unless marked otherwise, saved in one go."""
    course = _course(course_id)
    try:
        check_day(course, day)
    except RuleBroken as error:
        message = str(error.message)
        heading = _("No attendance sheet for this day")
        page = render_template("errors/error.html", status=404, message=message, heading=heading)
        return page, 404
    sheet, recorded = stored_sheet(course, day)
    enrolments = on_sheet(course, day)
    form = SheetForm(version=sheet.version if sheet else 0)
    problem = None
    wanted = {}
    if form.validate_on_submit():
        records = []
        for line in enrolments:
            status = request.form.get(f"status-{line.trainee_id}", "present")
            note = request.form.get(f"note-{line.trainee_id}", "")
            wanted[line.enrolment_id] = (status, note)
            records.append({"trainee_id": line.trainee_id, "status": status, "note": note})
        saved = save(
            lambda: save_sheet(
                course, day, records, current_user, form.version.data, form.reason.data
            ),
            _("Attendance for %(day)s is saved.", day=medium_date(day)),
            kept,
        )
        problem = saved.refusal
        if saved:
            # Straight to the day just saved: late in a course the grid is wide.
            return redirect(
                url_for("courses.attendance_grid_page", course_id=course.id)
                + f"#day-{day.isoformat()}"
            )
    elif request.method == "POST" and form.errors.keys() - {"csrf_token"}:
        problem = _("Nothing was saved: some values are not right.")  # shown by their fields
    elif request.method == "POST":
        problem = _("The form expired or came from elsewhere. Reload the page and try again.")
    status = 200
    if problem is not None:
        status = getattr(problem, "status", 400)
        if status == 409:
            # Show what the other person saved, and let the next save build on it.
            sheet, recorded = stored_sheet(course, day)
            wanted = {}
            form.version.data = sheet.version if sheet else 0
            form.version.raw_data = [str(form.version.data)]  # rendered from raw_data
    return sheet_page(course, day, sheet, enrolments, recorded, wanted, form, problem), status


def stored_sheet(course: Course, day: date) -> tuple[AttendanceSheet | None, dict]:
    """The day's sheet as saved, and its records by enrolment (None and {} before any save)."""
    return sheet_of(course, day)


def sheet_page(course, day, sheet, enrolments, recorded, wanted, form, problem=None) -> str:
    """The day's sheet page (also the copy a phone keeps, courses/views/offline.py)."""
    may_save = bool(may_correct_sheet(current_user, course, day))
    return render_template(
        "courses/attendance_sheet.html",
        course=course,
        tab="attendance",
        day=day,
        sheet=sheet,
        enrolments=enrolments,
        recorded=recorded,
        wanted=wanted,
        form=form,
        problem=problem,
        needs_reason=correction_window_closed(day),
        may_save=may_save,
        rows=sheet_rows(enrolments, recorded, wanted, may_save, STATUS_NAMES),
        opened=opened_token(current_user, course, day, sheet.version if sheet else 0)
        if may_save
        else "",
    )


@bp.route("/courses/<id:course_id>/attendance")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def attendance_grid_page(course_id: int):
    """Trainees x training days, each trainee's rate, the days still unrecorded."""
    course = _course(course_id)
    grid = attendance_grid(course)
    organisation = request.args.get("organisation", "")
    rows = [line for line in grid.lines if not organisation or line.organisation == organisation]
    cell = _grid_cells()
    return render_template(
        "courses/attendance_grid.html",
        course=course,
        tab="attendance",
        grid=grid,
        rows=rows,
        row_cells={
            # The cells are markup already: joined as text, not escaped again one by one.
            line.enrolment_id: Markup(  # noqa: S704  # nosec B704
                "".join(map(cell.__getitem__, grid.marks[line.enrolment_id]))
            )
            for line in rows
        },
        headings=_day_headings(course, grid),
        totals=_day_totals(grid),
        organisation=organisation,
        organisations=sorted({line.organisation for line in grid.lines}),
        symbols=SYMBOLS,
        status_names=_in_reader_language(STATUS_NAMES),
        threshold=course.programme.attendance_threshold,
        today=clock.today(),
    )


def _day_headings(course: Course, grid) -> Markup:
    """The grid's column headings: 38 days, each with a link and two date texts, made
    here rather than by a Jinja loop, as the cells are."""
    today = clock.today()
    sheet_link = link_maker("courses.attendance_sheet", "day", date, course_id=course.id)
    parts = []
    for day in grid.days:
        unrecorded = "unrecorded" if day not in grid.recorded_days and day <= today else ""
        title, label = escape(medium_date(day)), escape(day_month_numeric(day))
        if day <= today:
            href = escape(sheet_link(day))
            inside = f'<a href="{href}" title="{title}">{label}</a>'
        else:
            inside = f'<span title="{title}">{label}</span>'
        parts.append(
            f'<th scope="col" id="day-{day.isoformat()}" class="text-center {unrecorded}">'
            f"{inside}</th>"
        )
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - fixed markup, escaped texts


def _day_totals(grid) -> Markup:
    """The last row: each day's trainees present or late (empty for a day not recorded)."""
    counts = grid.present_or_late
    cells = [
        f'<td class="text-center small">{int(counts[day])}</td>'
        if day in counts
        else '<td class="text-center small"></td>'
        for day in grid.days
    ]
    return Markup("".join(cells))  # noqa: S704  # nosec B704 - fixed markup and integers


def _in_reader_language(names: dict) -> dict[str, str]:
    """Lazy labels translated once for the request, not once for each of 60 rows."""
    return {key: str(name) for key, name in names.items()}


def _grid_cells() -> dict[str | None, Markup]:
    """The grid's cell for each status, made once per request.

    A course of 60 trainees and 38 days has 2,280 cells of five kinds: writing each
    through the template (and its translated title) was most of the page's time.
    """
    cells = {None: Markup('<td class="text-center status-none"></td>')}
    for status in STATUSES:
        cells[status] = Markup('<td class="text-center status-{}" title="{}">{}</td>').format(
            status, STATUS_NAMES[status], SYMBOLS[status]
        )
    return cells


def _export(course: Course):
    grid = attendance_grid(course)
    header = [
        _("Organisation"),
        _("Personal number"),
        _("Full name"),
        _("Full name (Latin)"),
        _("Attendance rate (%)"),
        *[day.isoformat() for day in grid.days],
    ]
    rows = []
    for line in grid.lines:
        tally = grid.tallies.get(line.enrolment_id)
        rate = tally.rate if tally else None
        rows.append(
            [
                line.organisation,
                line.personal_number,
                line.full_name,
                line.full_name_latin,
                rate if rate is not None else "",
                *[status or "" for status in grid.marks[line.enrolment_id]],
            ]
        )
    return header, rows


@bp.route("/courses/<id:course_id>/attendance.csv")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def attendance_csv(course_id: int):
    """The grid as CSV: a row per trainee, a column per training day."""
    course = _course(course_id)
    header, rows = _export(course)
    return csv_response(f"{course.code}-attendance.csv", header, rows)


@bp.route("/courses/<id:course_id>/attendance.xlsx")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def attendance_xlsx(course_id: int):
    """The grid as an XLSX workbook."""
    course = _course(course_id)
    header, rows = _export(course)
    return xlsx_response(f"{course.code}-attendance.xlsx", course.code, header, rows)
