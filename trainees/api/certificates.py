"""API: issue, read, revoke, reissue and verify certificates."""

from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort

from auth.permissions import public, roles
from auth.policy import may_download_certificate, require, require_view
from core.api import Blueprint, NoBodySchema
from extensions import db, limiter
from models import Course, Enrolment
from models.account import Role
from trainees.certificates import schemas
from trainees.certificates.access import (
    by_verification_code,
    certificate_or_404,
)
from trainees.certificates.issuing import issue, issue_course, reissue, revoke
from trainees.certificates.presenters import certificate_document, verification

certificates = Blueprint(
    "Certificates",
    __name__,
    url_prefix="/api/v1",
    description="Certificates: issued through the eligibility rule, numbered, verifiable.",
)
NUMBER = "<string(maxlength=20):number>"


def verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@certificates.route("/enrolments/<id:enrolment_id>/certificate")
class EnrolmentCertificate(MethodView):
    @roles(Role.ADMIN)
    @certificates.response(201, schemas.CertificateSchema)
    @certificates.alt_response(
        200, schema=schemas.CertificateSchema, description="Already issued: the same certificate"
    )
    @certificates.arguments(NoBodySchema, required=False)
    @certificates.errors(400, 401, 403, 404, 422)
    def post(self, _body, enrolment_id):
        """Issue the certificate, or 422 not_eligible with what is missing."""
        enrolment = db.get_or_404(Enrolment, enrolment_id)
        certificate, new = issue(enrolment, current_user)
        db.session.commit()
        return certificate_document(certificate), 201 if new else 200


@certificates.route("/courses/<id:course_id>/certificates")
class CourseCertificates(MethodView):
    @roles(Role.ADMIN)
    @certificates.arguments(NoBodySchema, required=False)
    @certificates.response(200, schemas.CourseIssueSchema)
    @certificates.errors(400, 401, 403, 404, 422)
    def post(self, _body, course_id):
        """Issue every eligible enrolment of the course; say why the others are not."""
        course = db.get_or_404(Course, course_id)
        require_view(current_user, course)
        issued, refused = issue_course(course, current_user)
        db.session.commit()
        return {"issued": [certificate_document(c) for c in issued], "not_eligible": refused}


@certificates.route(f"/certificates/{NUMBER}")
class CertificateByNumber(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE)
    @certificates.response(200, schemas.CertificateSchema)
    @certificates.errors(401, 403, 404)
    def get(self, number):
        """One certificate: administrators, its holder, its issuing organisations' approvers."""
        certificate = certificate_or_404(number)
        require(may_download_certificate(current_user, certificate))
        return certificate_document(certificate)


@certificates.route(f"/certificates/{NUMBER}/revoke")
class CertificateRevocation(MethodView):
    @roles(Role.ADMIN)
    @certificates.arguments(schemas.RevocationSchema)
    @certificates.response(200, schemas.CertificateSchema)
    @certificates.errors(400, 401, 403, 404, 409, 422)
    def post(self, body, number):
        """Revoke, with the reason; the verification page says so from then on."""
        certificate = certificate_or_404(number)
        revoke(certificate, body["reason"])
        db.session.commit()
        return certificate_document(certificate)


@certificates.route(f"/certificates/{NUMBER}/reissue")
class CertificateReissue(MethodView):
    @roles(Role.ADMIN)
    @certificates.arguments(NoBodySchema, required=False)
    @certificates.response(201, schemas.CertificateSchema)
    @certificates.errors(400, 401, 403, 404, 409, 422)
    def post(self, _body, number):
        """Reissue under a new number; the old one becomes superseded."""
        replacement = reissue(certificate_or_404(number), current_user)
        db.session.commit()
        return certificate_document(replacement)


@certificates.route("/verify/<string(maxlength=64):code>")
class Verification(MethodView):
    decorators = [limiter.limit(verify_limit)]

    @public
    @certificates.response(200, schemas.VerificationSchema)
    @certificates.errors(404)
    def get(self, code):
        """Anyone: is this certificate valid? Status, number, holder, course, dates."""
        certificate = by_verification_code(code)
        if certificate is None:
            abort(404, message="No certificate has this verification code.")
        return verification(certificate)
