"""Both ministries approve (four eyes): approving and refusing certificates (flush only).

Under a programme with `certificate_approvals = each_organisation` a certificate is
issued `pending_approval`. An approver (an administrator or instructor account with
`approver` and an organisation) approves it for their organisation; once every
issuing organisation has, it becomes valid. Nobody approves a certificate whose
results they recorded; an organisation approves once, and so does a person (for
whichever organisation). A refusal revokes it. An approval is a signature on the
records as they stand: it is refused when they no longer earn the certificate.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.policy import may_approve_certificate, may_approve_certificates
from core import audit, clock
from core.errors import Conflict, Invalid, RuleBroken
from core.text import one_line
from core.translated import localised
from extensions import db
from models import (
    Certificate,
    CertificateApproval,
    CertificateStatus,
    Course,
    Enrolment,
    ModuleResult,
    Organisation,
    User,
)
from trainees.certificates.issuing import sign
from trainees.progress import Progress, course_progress, enrolment_progress

PENDING = CertificateStatus.PENDING_APPROVAL


class NotAllowed(RuleBroken):
    """Not this user's to approve (403): not an approver, or their own trainee's results."""

    status = 403
    code = "forbidden"


def _approved_by(certificate: Certificate) -> set[str]:
    return {approval.organisation_name for approval in certificate.approvals}


def _approved_already(user: User, certificate: Certificate) -> CertificateApproval | None:
    """This person's approval of the certificate, for whichever organisation they were in.

    Four eyes means two people: an account moved to the other ministry (its organisation
    changed) must not approve a second time for it.
    """
    return next((a for a in certificate.approvals if a.user_id == user.id), None)


def awaits(user: User, certificate: Certificate) -> bool:
    """Pending, this user may approve it, and neither they nor their organisation has."""
    return (
        certificate.status == PENDING
        and may_approve_certificate(user, certificate)
        and user.organisation.name not in _approved_by(certificate)
        and _approved_already(user, certificate) is None
    )


def _named(organisation_id: int, english: str) -> str:
    """An organisation's name in the reader's language (messages are whole sentences in
    it), the English one stored with an approval when the organisation is gone."""
    organisation = db.session.get(Organisation, organisation_id)
    return localised(organisation, "name") if organisation else english


def _check(user: User, certificate: Certificate) -> None:
    decision = may_approve_certificate(user, certificate)
    if not decision:
        raise NotAllowed(decision.reason)
    own = localised(user.organisation, "name")
    if user.organisation.name in _approved_by(certificate):
        raise Conflict(
            _l("%(organisation)s has already approved this certificate.", organisation=own)
        )
    if certificate.status != PENDING:
        raise Conflict(
            _l(
                "This certificate is not waiting for approval; it is %(status)s.",
                status=certificate.status,
            )
        )
    if earlier := _approved_already(user, certificate):
        raise Conflict(
            _l(
                "You approved this certificate for %(organisation)s: another person "
                "approves it for %(other)s.",
                organisation=_named(earlier.organisation_id, earlier.organisation_name),
                other=own,
            )
        )


def _check_still_earned(certificate: Certificate, progress: Progress | None) -> None:
    """The records under the certificate still meet the programme's conditions.

    Corrections are refused while a certificate is held, but a programme's rules or the
    records may have changed by other hands (a restore, the database itself) between the
    issue and this approval: the approver signs what the records say now.
    """
    progress = progress or enrolment_progress(certificate.enrolment)
    if not progress.eligible:
        raise Conflict(
            _l(
                "The records of %(name)s no longer earn certificate %(number)s, so it cannot "
                "be approved: refuse it, saying why.",
                name=certificate.holder_name,
                number=certificate.number,
            ),
            missing=[{"code": m.code, "message": m.message} for m in progress.missing],
        )


def approve(certificate: Certificate, user: User, progress: Progress | None = None) -> Certificate:
    """Record the approval of the user's organisation; valid once every one has.

    `progress`: the holder's, when the caller has worked it out for a whole course.
    """
    _check(user, certificate)
    _check_still_earned(certificate, progress)
    db.session.add(
        CertificateApproval(
            certificate=certificate,
            organisation_id=user.organisation_id,
            user_id=user.id,
            organisation_name=user.organisation.name,
            name=user.full_name,
            position=user.position,
            rank=user.rank,
        )
    )
    if set(certificate.approvals_required) <= _approved_by(certificate):
        certificate.status = CertificateStatus.VALID
    # Signed anew with the current key, and saying so: after a key rotation the old key id
    # with the new key's signature read "invalid" at every checkpoint.
    sign(certificate)
    enrolment = certificate.enrolment
    audit.record(
        "approve",
        "certificates",
        certificate.id,
        None,
        {"number": certificate.number, "organisation": user.organisation.name},
        enrolment.course_id,
        enrolment.trainee_id,
    )
    db.session.flush()
    return certificate


def refuse(certificate: Certificate, user: User, reason: str) -> Certificate:
    """An approver refuses: the certificate is revoked with the reason (audited)."""
    reason = one_line(reason)
    if not reason:
        message = _l("Give the reason for the refusal.")
        raise Invalid(message, {"reason": [message]})
    _check(user, certificate)
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_on = clock.today()
    certificate.revocation_reason = reason[:2000]
    sign(certificate)
    enrolment = certificate.enrolment
    audit.record(
        "refuse",
        "certificates",
        certificate.id,
        None,
        {"number": certificate.number, "organisation": user.organisation.name, "reason": reason},
        enrolment.course_id,
        enrolment.trainee_id,
    )
    db.session.flush()
    return certificate


def waiting_for(user: User, course: Course | None = None) -> dict[Course, list[Certificate]]:
    """Pending certificates this user may approve, grouped by course (course start order);
    of one course only, if given."""
    if not may_approve_certificates(user):
        return {}
    statement = (
        select(Certificate)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Certificate.status == PENDING)
    )
    if course is not None:
        statement = statement.where(Enrolment.course_id == course.id)
    pending = db.session.scalars(
        statement.options(
            selectinload(Certificate.approvals),
            selectinload(Certificate.replaces),  # "reissue of ..." beside it
            selectinload(Certificate.enrolment).selectinload(Enrolment.course),
        ).order_by(Course.start_date, Course.code, Certificate.holder_name)
    ).all()
    # The trainees whose results this user recorded, in one query rather than one each.
    assessed = set(
        db.session.scalars(
            select(ModuleResult.enrolment_id)
            .where(
                ModuleResult.assessor_id == user.id,
                ModuleResult.enrolment_id.in_({c.enrolment_id for c in pending}),
            )
            .distinct()
        )
    )
    organisation = user.organisation.name
    grouped: dict[Course, list[Certificate]] = {}
    for certificate in pending:
        if (
            organisation in certificate.approvals_required
            and organisation not in _approved_by(certificate)
            and _approved_already(user, certificate) is None
            and certificate.enrolment_id not in assessed
        ):
            grouped.setdefault(certificate.enrolment.course, []).append(certificate)
    return grouped


def approve_course(course: Course, user: User) -> list[Certificate]:
    """Every certificate of the course waiting for this user, approved in one transaction."""
    certificates = waiting_for(user, course).get(course, [])
    if not certificates:
        raise Conflict(_l("No certificate of this course is waiting for your approval."))
    progress = course_progress(course)  # a fixed number of queries for the whole course
    return [
        approve(certificate, user, progress.get(certificate.enrolment_id))
        for certificate in certificates
    ]
