"""The administrator's page for calling off a training day."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from auth.permissions import roles
from auth.policy import may_cancel_day, require
from core import clock
from core.confirmation import NOT_CONFIRMED, confirmed
from core.formats import medium_date
from core.forms import BaseForm
from core.saving import next_to_fields, save
from courses import bp
from courses.days_off import REASON_MAX, cancel_training_day, days_are_fixed, days_fixed_message
from courses.plans import course_training_days
from courses.presenters import one_course_or_404
from models import Course, Role


class CancelDayForm(BaseForm):
    day = DateField(_l("Training day"), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason (trainees and instructors see it)"),
        validators=[InputRequired(), Length(max=REASON_MAX)],
    )
    outcome = RadioField(
        _l("What happens to the lost day"),
        choices=[
            SelectChoice(
                "make_up",
                _l("Make it up: the course ends one training day later, the plan moves on."),
            ),
            SelectChoice(
                "lose",
                _l("Lose it: the end date stays, the day's teaching is dropped from the plan."),
            ),
        ],
        default="make_up",
        validators=[InputRequired()],
    )


@bp.route("/courses/<id:course_id>/days/cancel", methods=["GET", "POST"])
@roles(Role.ADMIN)
def cancel_day_page(course_id: int):
    """Call off a training day (weather, an incident at the range), made up or lost."""
    course = one_course_or_404(course_id)
    require(may_cancel_day(current_user, course))
    if days_are_fixed(course):  # said before a form that could only be refused
        flash(str(days_fixed_message(course)), "danger")
        return redirect(url_for("courses.course_plan", course_id=course.id))
    form = CancelDayForm()
    if request.method == "GET":
        form.day.data = _first_day_ahead(course)
    if form.is_submitted() and not confirmed():
        form.validate()  # the fields' own problems are said too
        form.form_errors.append(str(NOT_CONFIRMED))
    elif form.validate_on_submit():
        day: date = form.day.data
        saved = save(
            lambda: cancel_training_day(
                course, day, form.reason.data, form.outcome.data == "make_up", current_user
            ),
            lambda cancelled: _said_after(course, cancelled),
            next_to_fields(form, {"date": form.day}),
        )
        if saved:
            return redirect(url_for("courses.course_plan", course_id=course.id))
    status = 422 if request.method == "POST" else 200
    return render_template("courses/cancel_day.html", course=course, tab="plan", form=form), status


def _said_after(course: Course, cancelled) -> str:
    """The day cancelled, and where the course now ends: a made-up day moves the end."""
    day, end = medium_date(cancelled.day), medium_date(course.end_date)
    if cancelled.made_up:
        return _(
            "The training day %(day)s is cancelled and made up: the course now ends on %(end)s.",
            day=day,
            end=end,
        )
    return _(
        "The training day %(day)s is cancelled and not made up: the course still ends on %(end)s.",
        day=day,
        end=end,
    )


def _first_day_ahead(course: Course) -> date | None:
    today = clock.today()
    return next((day for day in course_training_days(course) if day >= today), None)
