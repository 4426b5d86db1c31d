"""Certificates as the API and the verification page show them."""

from models.certificate import Certificate
from trainees.certificates.approval_presenters import approval_details, checkpoint_details
from trainees.certificates.issuing import is_authentic, shown_status
from trainees.certificates.pdf import verification_url


def certificate_document(certificate: Certificate) -> dict:
    return {
        "id": certificate.id,
        "version": certificate.version,
        "number": certificate.number,
        "verification_code": certificate.verification_code,
        "status": shown_status(certificate),
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "holder": certificate.holder_name,
        "holder_latin": certificate.holder_name_latin,
        "course": certificate.course_title,
        "qualification": certificate.qualification,
        "hours": certificate.hours,
        "enrolment_id": certificate.enrolment_id,
        "verification_url": verification_url(certificate),
        "revoked_on": certificate.revoked_on,
        "revocation_reason": certificate.revocation_reason,
        "replaces": certificate.replaces.number if certificate.replaces else None,
        "superseded_by": certificate.superseded_by.number if certificate.superseded_by else None,
        **approval_details(certificate),
    }


def verification(certificate: Certificate) -> dict:
    """What anyone may know: the status, number, holder, course, dates. Nothing personal."""
    status = shown_status(certificate) if is_authentic(certificate) else "invalid"
    return {
        "valid": status == "valid",
        "status": status,
        "number": certificate.number,
        "holder": certificate.holder_name,
        "holder_latin": certificate.holder_name_latin,
        "course": certificate.course_title,
        "qualification": certificate.qualification,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        **approval_details(certificate),
        **checkpoint_details(certificate),
    }
