"""Correcting a mistyped result in the browser: the same rules as PATCH /results/<id>."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from auth.models import Role, User
from auth.permissions import roles
from core.errors import RuleBroken
from core.forms import BaseForm, show_rule_broken
from courses.access import require_enrolment_view
from courses.forms import Version
from courses.models import ModuleResult
from courses.results import CORRECTION_WINDOW, correct_result
from extensions import db, utcnow
from trainees import bp


def may_correct_result(user: User, result: ModuleResult) -> bool:
    """Its assessor or an administrator, within 24 hours of recording it."""
    if user.role != Role.ADMIN and user.id != result.assessor_id:
        return False
    return utcnow() - result.recorded_at <= CORRECTION_WINDOW


class ScoreCorrectionForm(BaseForm):
    version = Version()
    score = IntegerField(_l("Score"), validators=[InputRequired(), NumberRange(0, 100)])
    note = StringField(_l("Note (optional)"), validators=[Length(max=500)])


class PassCorrectionForm(BaseForm):
    version = Version()
    passed = RadioField(
        _l("Result"),
        choices=[SelectChoice("pass", _l("pass")), SelectChoice("fail", _l("fail"))],
        validators=[InputRequired()],
    )
    note = StringField(_l("Note (optional)"), validators=[Length(max=500)])


@bp.route("/results/<id:result_id>/correct", methods=["GET", "POST"])
@roles(Role.ADMIN, Role.INSTRUCTOR)
def correct_result_page(result_id: int):
    """Mend a mistyped attempt within 24 hours; later, a new attempt is recorded instead."""
    result = db.get_or_404(ModuleResult, result_id)
    require_enrolment_view(current_user, result.enrolment)
    assessor = current_user.role == Role.ADMIN or current_user.id == result.assessor_id
    if request.method == "POST" and not assessor:
        abort(403)  # another instructor of the course sees the result, but never changes it
    scored = result.module.scored
    form = (ScoreCorrectionForm if scored else PassCorrectionForm)(version=result.version)
    if request.method == "GET":
        form.note.data = result.note
        if scored:
            form.score.data = result.score
        else:
            form.passed.data = "pass" if result.passed else "fail"
    if form.validate_on_submit():
        changes = {"note": form.note.data}
        if scored:
            changes["score"] = form.score.data
        else:
            changes["passed"] = form.passed.data == "pass"
        try:
            correct_result(result, form.version.data, changes, current_user)
        except RuleBroken as error:
            db.session.rollback()
            show_rule_broken(form, error)
        else:
            db.session.commit()
            flash(_("The result in %(code)s is corrected.", code=result.module.code), "success")
            return redirect(url_for("trainees.trainee_results", enrolment_id=result.enrolment_id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "trainees/correct_result.html",
        result=result,
        form=form,
        course=result.enrolment.course,
        tab="results",
        assessor=assessor,
        window_open=may_correct_result(current_user, result),
    ), status
