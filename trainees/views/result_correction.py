"""Correcting a mistyped result in the browser: the same rules as PATCH /results/<id>."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from auth.permissions import roles
from auth.policy import may_correct_result, require, require_enrolment_view
from core.forms import BaseForm
from core.saving import next_to_fields, save
from courses.forms import Version
from extensions import db
from models import ModuleResult, Role
from trainees import bp
from trainees.results import correct_result


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
    assessor = may_correct_result(current_user, result, window=False)
    if request.method == "POST":
        require(assessor)  # another instructor of the course sees the result, never changes it
    scored = result.module.scored
    form = (ScoreCorrectionForm if scored else PassCorrectionForm)(version=result.version)
    if request.method == "GET":
        form.note.data = result.note
        if scored:
            form.score.data = result.score
        else:
            form.passed.data = "pass" if result.passed else "fail"
    if form.validate_on_submit():
        code = result.module.code
        changes = {"note": form.note.data}
        if scored:
            changes["score"] = form.score.data
        else:
            changes["passed"] = form.passed.data == "pass"
        before = result.version
        saved = save(
            lambda: correct_result(result, form.version.data, changes, current_user),
            lambda corrected: (
                _("The result in %(code)s is corrected.", code=code)
                if corrected.version != before
                else _("Nothing changed: the result in %(code)s is as it was.", code=code)
            ),
            next_to_fields(form),
        )
        if saved:
            return redirect(url_for("trainees.trainee_results", enrolment_id=result.enrolment_id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "trainees/correct_result.html",
        result=result,
        form=form,
        course=result.enrolment.course,
        tab="results",
        assessor=bool(assessor),
        window_open=bool(may_correct_result(current_user, result)),
    ), status
