"""API: approving and refusing certificates, and what waits for the caller's approval."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields

from auth.permissions import roles
from core.api import MAX_PER_PAGE, Blueprint, NoBodySchema, PageArgsSchema
from extensions import db
from models import Course, Role
from trainees.certificates import schemas
from trainees.certificates.access import certificate_or_404
from trainees.certificates.approvals import approve, approve_course, refuse, waiting_for
from trainees.certificates.presenters import certificate_document

approvals = Blueprint(
    "Certificate approvals",
    __name__,
    url_prefix="/api/v1",
    description="Every issuing organisation's approver approves a certificate (four eyes).",
)
NUMBER = "<string(maxlength=20):number>"
APPROVERS = (Role.ADMIN, Role.INSTRUCTOR)  # and, checked per certificate, an approver


class ApprovedSchema(Schema):
    approved = fields.List(fields.Nested(schemas.CertificateSchema), required=True)


class WaitingSchema(Schema):
    items = fields.List(fields.Nested(schemas.CertificateSchema), required=True)
    total = fields.Integer(required=True)


@approvals.route(f"/certificates/{NUMBER}/approve")
class CertificateApproval(MethodView):
    @roles(*APPROVERS)
    @approvals.arguments(NoBodySchema, required=False)
    @approvals.response(200, schemas.CertificateSchema)
    @approvals.errors(400, 401, 403, 404, 409, 422)
    def post(self, _body, number):
        """Approve for the caller's organisation; valid once every issuing one has."""
        certificate = certificate_or_404(number)
        approve(certificate, current_user)
        db.session.commit()
        return certificate_document(certificate)


@approvals.route(f"/certificates/{NUMBER}/refuse")
class CertificateRefusal(MethodView):
    @roles(*APPROVERS)
    @approvals.arguments(schemas.RefusalSchema)
    @approvals.response(200, schemas.CertificateSchema)
    @approvals.errors(400, 401, 403, 404, 409, 422)
    def post(self, body, number):
        """Refuse with a reason: the certificate is revoked with it."""
        certificate = certificate_or_404(number)
        refuse(certificate, current_user, body["reason"])
        db.session.commit()
        return certificate_document(certificate)


@approvals.route("/approvals/pending")
class WaitingForApproval(MethodView):
    @roles(*APPROVERS)
    @approvals.arguments(PageArgsSchema, location="query")
    @approvals.response(200, WaitingSchema)
    @approvals.errors(401, 403)
    def get(self, args):
        """The certificates waiting for the caller's approval ([] for a non-approver)."""
        waiting = [c for group in waiting_for(current_user).values() for c in group]
        per_page = min(args["per_page"], MAX_PER_PAGE)
        start = (args["page"] - 1) * per_page
        page = waiting[start : start + per_page]
        return {"items": [certificate_document(c) for c in page], "total": len(waiting)}


@approvals.route("/courses/<id:course_id>/certificates/approve")
class CourseApproval(MethodView):
    @roles(*APPROVERS)
    @approvals.arguments(NoBodySchema, required=False)
    @approvals.response(200, ApprovedSchema)
    @approvals.errors(400, 401, 403, 404, 409, 422)
    def post(self, _body, course_id):
        """Approve every certificate of the course waiting for the caller, all or none."""
        course = db.get_or_404(Course, course_id)
        approved = approve_course(course, current_user)
        db.session.commit()
        return {"approved": [certificate_document(c) for c in approved]}
