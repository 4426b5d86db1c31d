"""Finding a certificate (404 when missing) and logging each download.

Who may fetch one is asked of the policy: `auth.policy.may_download_certificate`.
"""

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from core import audit
from extensions import db
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
