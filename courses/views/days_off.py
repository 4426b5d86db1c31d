"""The administrator's page for calling off a training day."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from auth.models import Role
from auth.permissions import roles
from core import clock
from core.errors import RuleBroken
from core.forms import BaseForm, show_rule_broken
from courses import bp
from courses.days_off import REASON_MAX, cancel_training_day
from courses.models import Course
from courses.plans import course_training_days
from courses.presenters import course_loading
from extensions import db


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
    course = db.get_or_404(Course, course_id, options=course_loading())
    form = CancelDayForm()
    if request.method == "GET":
        form.day.data = _first_day_ahead(course)
    if form.validate_on_submit():
        day: date = form.day.data
        try:
            cancel_training_day(
                course, day, form.reason.data, form.outcome.data == "make_up", current_user
            )
        except RuleBroken as error:
            db.session.rollback()
            show_rule_broken(form, error, {"date": form.day})
        else:
            db.session.commit()
            flash(_("The training day %(day)s is cancelled.", day=day.isoformat()), "success")
            return redirect(url_for("courses.course_plan", course_id=course.id))
    status = 422 if request.method == "POST" else 200
    return render_template("courses/cancel_day.html", course=course, tab="plan", form=form), status


def _first_day_ahead(course: Course) -> date | None:
    today = clock.today()
    return next((day for day in course_training_days(course) if day >= today), None)
