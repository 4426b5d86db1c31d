"""API: enrolment of trainees on courses, the roster, and withdrawal."""

from flask.views import MethodView
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.permissions import roles
from auth.policy import require_view
from core.api import Blueprint, PageArgsSchema
from core.pagination import page_of
from extensions import db
from models import Course, Enrolment
from models.account import Role
from models.trainee import Trainee
from trainees import schemas
from trainees.enrolment import enrol, withdraw

enrolments = Blueprint(
    "Enrolments",
    __name__,
    url_prefix="/api/v1",
    description="Trainees on courses: enrolment and withdrawal.",
)


def _enrolment_loading():
    return (selectinload(Enrolment.trainee).selectinload(Trainee.organisation),)


@enrolments.route("/courses/<id:course_id>/enrolments")
class CourseEnrolments(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @enrolments.arguments(PageArgsSchema, location="query")
    @enrolments.response(200, schemas.EnrolmentPageSchema)
    @enrolments.errors(401, 403, 404)
    def get(self, args, course_id):
        """The course's roster, withdrawn trainees included."""
        course = db.get_or_404(Course, course_id)
        require_view(current_user, course)
        statement = (
            select(Enrolment)
            .where(Enrolment.course_id == course.id)
            .options(*_enrolment_loading())
            .order_by(Enrolment.id)
        )
        return page_of(statement, args["page"], args["per_page"])

    @roles(Role.ADMIN)
    @enrolments.arguments(schemas.EnrolmentRequestSchema)
    @enrolments.response(201, schemas.EnrolmentSchema)
    @enrolments.errors(400, 401, 403, 404, 409, 422)
    def post(self, body, course_id):
        """Enrol a trainee, or a refusal saying why (full, quota, overlap, clearance...)."""
        course = db.get_or_404(Course, course_id)
        enrolment = enrol(course, body["trainee_id"])
        db.session.commit()
        return enrolment


@enrolments.route("/enrolments/<id:enrolment_id>")
class EnrolmentById(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @enrolments.response(200, schemas.EnrolmentSchema)
    @enrolments.errors(401, 403, 404)
    def get(self, enrolment_id):
        """One enrolment."""
        enrolment = db.get_or_404(Enrolment, enrolment_id)
        require_view(current_user, enrolment.course)
        return enrolment


@enrolments.route("/enrolments/<id:enrolment_id>/withdraw")
class EnrolmentWithdrawal(MethodView):
    @roles(Role.ADMIN)
    @enrolments.arguments(schemas.WithdrawalSchema)
    @enrolments.response(200, schemas.EnrolmentSchema)
    @enrolments.errors(400, 401, 403, 404, 409, 422)
    def post(self, body, enrolment_id):
        """Withdraw a trainee, with the reason; their records stay."""
        enrolment = db.get_or_404(Enrolment, enrolment_id)
        withdraw(enrolment, body["reason"], body.get("date"))
        db.session.commit()
        return enrolment
