"""Who may fetch a certificate: administrators and its holder."""

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from core import audit
from extensions import db
from models.account import Role
from models.certificate import Certificate, CertificatePrint


def certificate_or_404(number: str) -> Certificate:
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if certificate is None:
        abort(404)
    return certificate


def by_verification_code(code: str) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(Certificate.verification_code == code.strip().upper())
    )


def require_holder_or_admin(certificate: Certificate) -> None:
    if current_user.role == Role.ADMIN:
        return
    holder = certificate.enrolment.trainee_id
    if current_user.role != Role.TRAINEE or current_user.trainee_id != holder:
        abort(403)


def log_prints(certificates: list[Certificate], kind: str) -> None:
    """Who downloaded or printed which certificate, when and from where."""
    changes = []
    for certificate in certificates:
        db.session.add(
            CertificatePrint(
                certificate_id=certificate.id,
                user_id=current_user.id,
                kind=kind,
                address=(request.remote_addr or "")[:64],
            )
        )
        enrolment = certificate.enrolment
        changes.append(
            (
                "print",
                "certificates",
                certificate.id,
                None,
                {"number": certificate.number, "kind": kind},
                enrolment.course_id,
                enrolment.trainee_id,
            )
        )
    audit.record_many(changes)
