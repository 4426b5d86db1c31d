"""Printable attendance sheets: one day's, and a blank one for a week."""

from datetime import date, timedelta

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from auth.permissions import roles
from auth.policy import require_view
from core.errors import RuleBroken
from core.formats import medium_date
from courses import bp
from courses.attendance import check_day, on_sheet
from courses.attendance_print import day_sheet_pdf, week_sheet_pdf
from courses.plans import course_training_days
from courses.presenters import one_course_or_404
from models import Role


def _pdf(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _not_found(message: str):
    return render_template("errors/error.html", status=404, message=message), 404


@bp.route("/courses/<id:course_id>/attendance/<isodate:day>/print")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def attendance_print(course_id: int, day: date):
    """The day's sheet on A4, to fill in by hand: both name scripts and a signature column."""
    course = one_course_or_404(course_id)
    require_view(current_user, course)
    # Unlike the screen sheet, a future day may be printed ahead of time.
    if day not in course_training_days(course):
        try:
            check_day(course, day)
        except RuleBroken as error:
            return _not_found(str(error.message))
    data = day_sheet_pdf(course, day, on_sheet(course, day))
    return _pdf(data, f"{course.code}-attendance-{day.isoformat()}.pdf")


@bp.route("/courses/<id:course_id>/attendance/<isodate:day>/print-week")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def attendance_print_week(course_id: int, day: date):
    """A blank sheet for the week (Monday to Sunday) that holds `day`."""
    course = one_course_or_404(course_id)
    require_view(current_user, course)
    monday = day - timedelta(days=day.weekday())
    days = [d for d in course_training_days(course) if monday <= d <= monday + timedelta(days=6)]
    if not days:
        return _not_found(
            _("The course has no training day in the week of %(day)s.", day=medium_date(day))
        )
    data = week_sheet_pdf(course, days, on_sheet(course, days[0]))
    return _pdf(data, f"{course.code}-attendance-week-{days[0].isoformat()}.pdf")
