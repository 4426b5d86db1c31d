"""Finding a certificate (404 when missing) and logging each download.

Who may fetch one is asked of the policy: `auth.policy.may_download_certificate`.
"""

from flask import abort, request
from flask_login import current_user
from sqlalchemy import ColumnElement, bindparam, select
from sqlalchemy.orm import aliased, joinedload

from core import audit
from core.database import prebuilt
from extensions import db
from models import Enrolment
from models.certificate import Certificate, CertificatePrint, CertificateStatus


def certificate_or_404(number: str) -> Certificate:
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if certificate is None:
        abort(404)
    return certificate


def by_verification_code(code: str) -> Certificate | None:
    """The certificate with its approvals, in one kept statement: checkpoints ask often."""
    found = db.session.execute(_by_code(), {"code": code.strip().upper()})
    return found.unique().scalar_one_or_none()


@prebuilt
def _by_code():
    return (
        select(Certificate)
        .where(Certificate.verification_code == bindparam("code"))
        .options(joinedload(Certificate.approvals))
    )


def renewed() -> ColumnElement[bool]:
    """The holder has a later valid certificate of the same qualification: a refresher
    course renewed it, so it is no longer due. For a statement that joins the
    certificate's Enrolment."""
    later = aliased(Certificate)
    later_enrolment = aliased(Enrolment)
    return (
        select(later.id)
        .join(later_enrolment, later_enrolment.id == later.enrolment_id)
        .where(
            later_enrolment.trainee_id == Enrolment.trainee_id,
            later.qualification == Certificate.qualification,
            later.status == CertificateStatus.VALID,
            later.expires_on > Certificate.expires_on,
        )
        .exists()
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
