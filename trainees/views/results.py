"""Results pages: the matrix, recording one module for the whole group."""

from collections import Counter

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateField
from wtforms.validators import InputRequired

from auth.permissions import roles
from auth.policy import require_view
from core import clock
from core.dates import InRange
from core.errors import RuleBroken
from core.forms import BaseForm
from core.name_order import sort_key
from core.saving import kept, save
from courses.attendance_rate import day_counts
from courses.plans import course_training_days
from courses.presenters import one_course_or_404, programme_loading
from extensions import db
from models import Course, Enrolment, EnrolmentStatus, Programme
from models.account import Role
from trainees import bp
from trainees.charts import attendance_chart, pass_rate_chart
from trainees.progress import Progress, course_progress, enrolment_progress
from trainees.results import record_results, refusal_for, results_of
from trainees.results_entry import plan_ahead_of, plan_reaches_on, split_by_eligibility
from trainees.views.matrix_rows import matrix_rows


class GroupResultsForm(BaseForm):
    assessed_on = DateField(validators=[InputRequired(), InRange()])


def _course(course_id: int) -> Course:
    course = one_course_or_404(course_id)
    require_view(current_user, course)
    return course


def pass_rates(progress: dict[int, Progress], modules) -> dict[str, dict[str, float]]:
    """Per module, the share of assessed trainees whose latest attempt passed, by organisation."""
    codes = {module.id: module.code for module in modules}
    assessed: Counter = Counter()  # (module id, organisation) -> trainees assessed
    passed: Counter = Counter()
    for item in progress.values():
        enrolment = item.enrolment
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            continue  # the rates describe the trainees still on the course
        organisation = enrolment.trainee.organisation.code
        for module_id, result in item.latest.items():
            assessed[module_id, organisation] += 1
            if result.passed:
                passed[module_id, organisation] += 1
    # Each organisation's counts, then everyone's: 60 trainees x 15 modules counted once.
    for (module_id, _organisation), count in list(assessed.items()):
        assessed[module_id, "all"] += count
    for (module_id, _organisation), count in list(passed.items()):
        passed[module_id, "all"] += count
    rates: dict[str, dict[str, float]] = {}
    for (module_id, group), count in assessed.items():
        rates.setdefault(codes[module_id], {})[group] = round(
            100 * passed[module_id, group] / count, 1
        )
    return rates


def _sorted(progress: dict[int, Progress]) -> list[Progress]:
    return sorted(
        progress.values(),
        key=lambda p: (sort_key(p.enrolment.trainee.full_name_latin), p.enrolment.id),
    )


@bp.route("/courses/<id:course_id>/results")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def results_matrix(course_id: int):
    """Trainees x modules: the latest result and attempts; pass rates; who is at risk."""
    course = _course(course_id)
    progress = course_progress(course, brief=True)  # shown, never changed here
    modules = list(course.programme.modules)
    rates = pass_rates(progress, modules)
    organisations = sorted({p.enrolment.trainee.organisation.code for p in progress.values()})
    return render_template(
        "trainees/results_matrix.html",
        course=course,
        tab="results",
        rows=matrix_rows(_sorted(progress), modules),
        modules=modules,
        rates=rates,
        organisations=organisations,
        pass_chart=pass_rate_chart(modules, rates, organisations),
        attendance_svg=attendance_chart(course_training_days(course), day_counts(course)),
    )


@bp.route(
    "/courses/<id:course_id>/results/<string(maxlength=30):module_code>", methods=["GET", "POST"]
)
@roles(Role.ADMIN, Role.INSTRUCTOR)
def record_group_results(course_id: int, module_code: str):
    """One module's results for the whole group: a score or pass/fail per trainee."""
    course = _course(course_id)
    module = next((m for m in course.programme.modules if m.code == module_code), None)
    if module is None:
        abort(404)
    progress = course_progress(course)
    enrolled = [p for p in _sorted(progress) if p.enrolment.status != EnrolmentStatus.WITHDRAWN]
    # Only who may take an attempt now is offered; the others are listed with the reason.
    rows, refused = split_by_eligibility(module, enrolled)
    not_reached = plan_reaches_on(course, module)
    form = GroupResultsForm()
    if request.method == "GET":
        today = clock.today()
        form.assessed_on.data = min(max(today, course.start_date), course.end_date)
    entered: dict[int, dict] = {}
    problem = None
    chosen = []
    early_unconfirmed = not_reached and request.form.get("early") != "yes"
    if early_unconfirmed and request.method == "POST":
        problem = RuleBroken(_("Confirm that the result is recorded before the planned module."))
    elif form.validate_on_submit():
        # Every enrolled trainee: a form opened before someone else's save is refused in words.
        for item in enrolled:
            enrolment = item.enrolment
            raw = request.form.get(f"result-{enrolment.id}", "").strip()
            note = request.form.get(f"note-{enrolment.id}", "")
            entered[enrolment.id] = {"raw": raw, "note": note}
            if not raw:
                continue
            values = {"assessed_on": form.assessed_on.data, "note": note}
            if module.scored:
                # Not a whole number (7.5, ², x): out of range, so refused with its message.
                values["score"] = int(raw) if raw.isdecimal() and len(raw) <= 3 else -1
            elif raw in ("pass", "fail"):
                values["passed"] = raw == "pass"
            else:
                values["passed"] = None  # refused: "say whether ... is passed"
            chosen.append((enrolment, values))
        saved = save(
            lambda: _record_chosen(course, module, chosen),
            ngettext(
                "%(num)d result recorded for %(code)s.",
                "%(num)d results recorded for %(code)s.",
                len(chosen),
                code=module.code,
            ),
            kept,
        )
        problem = saved.refusal
        if saved:
            return redirect(url_for("trainees.results_matrix", course_id=course.id))
    status = (problem.status if problem else 422) if request.method == "POST" else 200
    return render_template(
        "trainees/record_results.html",
        course=course,
        tab="results",
        module=module,
        rows=rows,
        form=form,
        entered=entered,
        problem=problem,
        row_errors=_row_errors(problem, chosen),
        refused=refused,
        not_reached=not_reached,
    ), status


def _record_chosen(course, module, chosen):
    if not chosen:
        raise RuleBroken(_("Enter at least one result."))
    return record_results(course, module, chosen, current_user)


def _row_errors(problem, chosen) -> dict[int, list[str]]:
    """A refusal's messages by enrolment, so each shows next to its trainee."""
    errors: dict[int, list[str]] = {}
    if problem is None:
        return errors
    for name, messages in problem.fields.items():
        index, _, _field = name.rpartition(".")
        position = int(index) if index.isdigit() else 0
        if position < len(chosen):
            errors.setdefault(chosen[position][0].id, []).extend(messages)
    return errors


@bp.route("/enrolments/<id:enrolment_id>/results", methods=["GET", "POST"])
@roles(Role.ADMIN, Role.INSTRUCTOR)
def trainee_results(enrolment_id: int):
    """One trainee's modules: the latest result of each, and a new attempt at one of them."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    course = enrolment.course
    require_view(current_user, course)
    # The modules with their prerequisites, in three statements: the plan, the progress and
    # each module's row read them, one statement per module otherwise. Held in a name: the
    # session keeps only objects something refers to.
    programme = db.session.scalars(
        select(Programme).where(Programme.id == course.programme_id).options(*programme_loading())
    ).one()
    form = GroupResultsForm()
    problem = None
    chosen_code = request.form.get("module", "")
    ahead = plan_ahead_of(course)
    if request.method == "POST":
        module = next((m for m in programme.modules if m.code == chosen_code), None)
        if module is None:
            abort(404)
        if not form.validate_on_submit():
            # Said next to the date of the module's row (and at the top), not a bare 422.
            problem = RuleBroken(
                _("Nothing was saved: some values are not right."), dict(form.errors)
            )
        elif module.code in ahead and request.form.get("early") != "yes":
            message = _("Confirm that the result is recorded before the planned module.")
            problem = RuleBroken(message, {"early": [message]})
        else:
            saved = save(
                lambda: record_results(
                    course, module, [(enrolment, _entered(module, form))], current_user
                ),
                _("Result recorded for %(code)s.", code=module.code),
                kept,
            )
            problem = saved.refusal
            if saved:
                return redirect(url_for("trainees.trainee_results", enrolment_id=enrolment.id))
    today = clock.today()
    attempts = results_of([enrolment.id])
    progress = enrolment_progress(enrolment, attempts)
    status = (problem.status if problem else 422) if request.method == "POST" else 200
    # Why a module takes no new attempt now (passed, attempts used, a prerequisite missing):
    # said in its row instead of a form that would only be refused.
    closed = {
        module.code: reason
        for module in programme.modules
        if (reason := refusal_for(enrolment, module, attempts))
    }
    return render_template(
        "trainees/trainee_results.html",
        course=course,
        tab="results",
        enrolment=enrolment,
        progress=progress,
        form=form,
        problem=problem,
        chosen_code=chosen_code,
        closed=closed,
        # Every other row keeps its own date: a refused one is not copied into them.
        default_day=min(max(today, course.start_date), course.end_date),
        ahead=ahead,
    ), status


def _entered(module, form) -> dict:
    """One attempt's values as typed: an empty choice is left empty, and refused as such."""
    raw = request.form.get("result", "").strip()
    values = {"assessed_on": form.assessed_on.data, "note": request.form.get("note", "")}
    if module.scored:
        # Not a whole number (7.5, ², x): out of range, so refused with its message.
        values["score"] = None if not raw else int(raw) if raw.isdecimal() and len(raw) <= 3 else -1
    else:
        values["passed"] = {"pass": True, "fail": False}.get(raw)
    return values
