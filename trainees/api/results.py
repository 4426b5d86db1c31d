"""API: module results (attempts) and each trainee's progress towards the certificate."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from auth.permissions import roles
from auth.policy import require_enrolment_view
from core.api import Blueprint, Flag, MissingConditionSchema, SaneDate, Text
from courses.presenters import one_enrolment_or_404
from extensions import db
from models import Enrolment, Module, ModuleResult
from models.account import Role
from trainees.progress import enrolment_progress
from trainees.results import correct_result, record_results

results = Blueprint(
    "Results",
    __name__,
    url_prefix="/api/v1",
    description="Module results (each assessment is an attempt; the latest counts) and progress.",
)


# The same words as the group form (trainees.results), so the API and pages agree.
SCORE_RANGE = validate.Range(0, 100, error="The score must be between 0 and 100.")


class AttemptRequestSchema(Schema):
    score = fields.Integer(
        strict=True,
        allow_none=True,
        validate=SCORE_RANGE,
        metadata={"description": "Scored (theory) modules."},
    )
    passed = Flag(allow_none=True, metadata={"description": "Pass/fail modules."})
    assessed_on = SaneDate(required=True)
    note = Text(load_default="", validate=validate.Length(max=500))


class AttemptChangeSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    score = fields.Integer(strict=True, allow_none=True, validate=SCORE_RANGE)
    passed = Flag(allow_none=True)
    assessed_on = SaneDate()
    note = Text(validate=validate.Length(max=500))


class AttemptSchema(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    enrolment_id = fields.Integer(required=True)
    module_code = fields.String(required=True, attribute="module.code")
    attempt = fields.Integer(required=True)
    score = fields.Integer(allow_none=True, required=True)
    passed = fields.Boolean(required=True)
    assessed_on = fields.Date(required=True)
    assessor = fields.String(attribute="assessor.full_name")
    note = fields.String()
    recorded_at = fields.AwareDateTime()
    corrected_at = fields.AwareDateTime(allow_none=True)


class AttemptListSchema(Schema):
    items = fields.List(fields.Nested(AttemptSchema), required=True)
    total = fields.Integer(required=True)


class ProgressSchema(Schema):
    enrolment_id = fields.Integer(required=True)
    modules_total = fields.Integer(required=True)
    modules_passed = fields.Integer(required=True)
    hours_total = fields.Integer(required=True)
    hours_passed = fields.Integer(required=True)
    attendance_rate = fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "0-100, one decimal; null: none yet"},
    )
    attendance_threshold = fields.Integer(required=True)
    training_days_recorded = fields.Integer(required=True)
    training_days_total = fields.Integer(required=True)
    eligible = fields.Boolean(required=True)
    missing = fields.List(fields.Nested(MissingConditionSchema), required=True)


def _enrolment_and_module(enrolment_id: int, module_code: str) -> tuple[Enrolment, Module]:
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    require_enrolment_view(current_user, enrolment)
    module = next((m for m in enrolment.course.programme.modules if m.code == module_code), None)
    if module is None:
        abort(404, message=f"The course has no module {module_code}.")
    return enrolment, module


@results.route("/enrolments/<id:enrolment_id>/results/<string(maxlength=30):module_code>")
class ModuleAttempts(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE)
    @results.response(200, AttemptListSchema)
    @results.errors(401, 403, 404)
    def get(self, enrolment_id, module_code):
        """Every attempt of the trainee at the module, oldest first."""
        enrolment, module = _enrolment_and_module(enrolment_id, module_code)
        attempts = db.session.scalars(
            select(ModuleResult)
            .where(ModuleResult.enrolment_id == enrolment.id, ModuleResult.module_id == module.id)
            .order_by(ModuleResult.attempt)
            .options(joinedload(ModuleResult.module), joinedload(ModuleResult.assessor))
        ).all()
        return {"items": attempts, "total": len(attempts)}

    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @results.arguments(AttemptRequestSchema)
    @results.response(201, AttemptSchema)
    @results.errors(400, 401, 403, 404, 409, 422)
    def post(self, values, enrolment_id, module_code):
        """Record a new attempt: a score, or passed true/false."""
        enrolment, module = _enrolment_and_module(enrolment_id, module_code)
        (created,) = record_results(enrolment.course, module, [(enrolment, values)], current_user)
        db.session.commit()
        return created


@results.route("/results/<id:result_id>")
class AttemptById(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @results.arguments(AttemptChangeSchema)
    @results.response(200, AttemptSchema)
    @results.errors(400, 401, 403, 404, 409, 422)
    def patch(self, changes, result_id):
        """Correct a mistyped attempt (its assessor or an administrator, within 24 hours)."""
        result = db.get_or_404(ModuleResult, result_id)
        require_enrolment_view(current_user, result.enrolment)
        correct_result(result, changes.pop("version"), changes, current_user)
        db.session.commit()
        return result


@results.route("/enrolments/<id:enrolment_id>/progress")
class EnrolmentProgress(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE)
    @results.response(200, ProgressSchema)
    @results.errors(401, 403, 404)
    def get(self, enrolment_id):
        """Modules and hours passed, attendance, and what is still missing for the certificate."""
        enrolment = one_enrolment_or_404(enrolment_id)
        require_enrolment_view(current_user, enrolment)
        progress = enrolment_progress(enrolment)
        return {
            "enrolment_id": enrolment.id,
            "modules_total": progress.modules_total,
            "modules_passed": progress.modules_passed,
            "hours_total": progress.hours_total,
            "hours_passed": progress.hours_passed,
            "attendance_rate": progress.attendance_rate,
            "attendance_threshold": progress.threshold,
            "training_days_recorded": progress.training_days_recorded,
            "training_days_total": progress.training_days_total,
            "eligible": progress.eligible,
            "missing": progress.missing,
        }
