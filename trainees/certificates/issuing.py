"""Issuing, revoking and reissuing certificates (flush, never commit).

Every certificate goes through `issue`, which asks the one eligibility rule
(trainees.progress) and takes its number from the year's counter in the same
transaction: numbers are unique and without gaps however many are issued at once.
"""

import hashlib
import hmac
import json
import secrets
from base64 import b32encode
from calendar import monthrange
from datetime import date

from flask import current_app
from sqlalchemy import and_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core import clock
from core.audit import AuditEntry
from core.errors import Conflict, Invalid, RuleBroken
from core.formats import lazy_sentence as _l
from core.keys import certificate_keyring, current_certificate_key_id
from core.text import one_line
from extensions import db
from models import Course, Enrolment, EnrolmentStatus
from models.account import User
from models.certificate import HELD, Certificate, CertificateCounter, CertificateStatus
from trainees.certificates.document import document_details
from trainees.progress import Progress, course_progress, enrolment_progress

SIGNED_FIELDS = (
    "number",
    "verification_code",
    "enrolment_id",
    "issued_on",
    "expires_on",
    "holder_name",
    "holder_name_latin",
    "holder_language",
    "course_code",
    "course_title",
    "location",
    "course_start",
    "course_end",
    "qualification",
    "hours",
    "modules",
    "issuers",
    # The state too: a revoked certificate edited back to valid fails verification.
    "status",
    "revoked_on",
    "revocation_reason",
)
# Fields added after the first certificates were signed: covered only when set, so a
# certificate issued before them keeps the signature it was given.
SIGNED_WHEN_SET = (
    "holder_rank",
    "holder_personal_number",
    "holder_birth_date",
    "holder_organisation",
    "texts",
    "eod_level",
    "approvals_required",
)


class NotEligible(RuleBroken):
    """The trainee does not meet every condition; `missing` says which, in words."""

    code = "not_eligible"

    def __init__(self, progress: Progress):
        missing = [{"code": m.code, "message": m.message} for m in progress.missing]
        super().__init__(_l("Not eligible for the certificate yet."), missing=missing)
        self.missing = missing


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def new_verification_code() -> str:
    """80 random bits from `secrets`, as 16 letters and digits: cannot be guessed."""
    return b32encode(secrets.token_bytes(10)).decode()


def signature(certificate: Certificate, key: str | None = None) -> str:
    values = {name: getattr(certificate, name) for name in SIGNED_FIELDS}
    for name in SIGNED_WHEN_SET:
        if getattr(certificate, name) not in (None, [], {}):
            values[name] = getattr(certificate, name)
    if certificate.approvals_required:
        # Who approved is part of the document: a forged approval fails verification.
        values["approvals"] = sorted(
            [a.organisation_name, a.name, a.position, a.rank] for a in certificate.approvals
        )
    canonical = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    key = key if key is not None else current_app.config["CERTIFICATE_KEY"]
    return hmac.new(key.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def sign(certificate: Certificate) -> None:
    """Sign with the current key and say which: a rotated key keeps its certificates valid."""
    certificate.key_id = current_certificate_key_id()
    certificate.signature = signature(certificate)


def is_authentic(certificate: Certificate) -> bool:
    """Checked with the key that signed it; a key id no longer known verifies nothing."""
    key = certificate_keyring().get(certificate.key_id or "")
    if key is None:
        return False
    return hmac.compare_digest(certificate.signature, signature(certificate, key))


def next_number(year: int) -> str:
    """The year's next number, e.g. 2021-00001; the counter row is locked until commit."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(CertificateCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    number = db.session.execute(
        update(CertificateCounter)
        .where(CertificateCounter.year == year)
        .values(last_number=CertificateCounter.last_number + 1)
        .returning(CertificateCounter.last_number),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    return f"{year}-{number:05d}"


def valid_certificate(enrolment: Enrolment) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.enrolment_id == enrolment.id,
            Certificate.status.in_(HELD),
        )
    )


def _issuers(course: Course) -> list[str]:
    """The organisations that run the course: those of its instructors and quotas."""
    names = {user.organisation.name for user in course.instructors if user.organisation}
    names |= {quota.organisation.name for quota in course.quotas}
    return sorted(names)


def _create(
    progress: Progress, user: User, replaces: Certificate | None = None, expires_on=None
) -> Certificate:
    enrolment = progress.enrolment
    course = enrolment.course
    trainee = enrolment.trainee
    today = clock.today()
    modules = [
        {
            "code": module.code,
            "title": module.title,
            "hours": module.hours,
            "result": (str(result.score) if result.score is not None else "passed"),
        }
        for module in progress.modules
        if (result := progress.latest.get(module.id)) is not None and result.passed
    ]
    programme = course.programme
    needs_approval = programme.certificate_approvals == "each_organisation"
    certificate = Certificate(
        number=next_number(today.year),
        verification_code=new_verification_code(),
        enrolment=enrolment,
        status=CertificateStatus.PENDING_APPROVAL if needs_approval else CertificateStatus.VALID,
        issued_on=today,
        expires_on=expires_on or add_months(today, course.programme.validity_months),
        holder_name=trainee.full_name,
        holder_name_latin=trainee.full_name_latin,
        holder_language=trainee.organisation.language,
        course_code=course.code,
        course_title=course.title,
        location=course.location,
        course_start=course.start_date,
        course_end=course.end_date,
        qualification=course.programme.qualification,
        hours=progress.hours_passed,
        modules=modules,
        issuers=_issuers(course),
        issued_by=user,
        replaces=replaces,
        **document_details(progress),
        approvals_required=_issuers(course) if needs_approval else [],
    )
    certificate.enrolment_id = enrolment.id
    sign(certificate)
    db.session.add(certificate)
    enrolment.status = EnrolmentStatus.COMPLETED
    db.session.flush()
    return certificate


def _revoked_message(certificate: Certificate) -> str:
    return str(
        _l(
            "Certificate %(n)s was revoked on %(day)s (%(reason)s): a new one is issued for "
            "this trainee alone, not with the whole course.",
            n=certificate.number,
            day=certificate.revoked_on,
            reason=certificate.revocation_reason,
        )
    )


# The records a certificate stands on, as the audit trail names them.
RECORDS = ("module_results", "attendance_records")


def last_revoked(enrolment: Enrolment) -> Certificate | None:
    return db.session.scalar(
        select(Certificate)
        .where(
            Certificate.enrolment_id == enrolment.id,
            Certificate.status == CertificateStatus.REVOKED,
        )
        .order_by(Certificate.id.desc())
        .limit(1)
    )


def changed_since(revoked: list[int]) -> set[int]:
    """Of the revoked certificates' ids, those whose holder has had a result or an attendance
    record of the course recorded or corrected since the revocation (the trail's last
    word on the certificate). By the trail's order, not its clock: two entries of the same
    second keep their order. One query for any number, through the trainees' index."""
    if not revoked:
        return set()
    rows = db.session.execute(
        select(Certificate.id, AuditEntry.id, AuditEntry.entity, AuditEntry.entity_id)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(
            AuditEntry,
            and_(
                AuditEntry.trainee_id == Enrolment.trainee_id,
                AuditEntry.course_id == Enrolment.course_id,
            ),
        )
        .where(
            Certificate.id.in_(revoked),
            AuditEntry.entity.in_(("certificates", *RECORDS)),
        )
    ).all()
    revoked_at: dict[int, int] = {}
    for certificate_id, entry_id, entity, entity_id in rows:
        if entity == "certificates" and entity_id == certificate_id:
            revoked_at[certificate_id] = max(revoked_at.get(certificate_id, 0), entry_id)
    return {
        certificate_id
        for certificate_id, entry_id, entity, _entity_id in rows
        if entity in RECORDS and entry_id > revoked_at.get(certificate_id, 0)
    }


def issue(enrolment: Enrolment, user: User) -> tuple[Certificate, bool]:
    """The enrolment's certificate and whether it is new; NotEligible says what is missing.

    After a revocation this is how a new certificate comes (a new number; the revoked one
    stays revoked), once a record has changed since: a result corrected under a certificate
    must be revoked first, and the trainee who still earns one is then certified again, one
    by one, never by "issue all". With no record changed, a new certificate would certify
    what was revoked (a clearance withdrawn, a refusal by a ministry): refused.
    """
    existing = valid_certificate(enrolment)
    if existing is not None:
        return existing, False  # issuing twice gives nothing new
    revoked = last_revoked(enrolment)
    if revoked is not None and revoked.id not in changed_since([revoked.id]):
        raise Conflict(
            _l(
                "Certificate %(n)s was revoked on %(day)s (%(reason)s) and no result or "
                "attendance record has changed since: a new one would certify the same records.",
                n=revoked.number,
                day=revoked.revoked_on,
                reason=revoked.revocation_reason,
            )
        )
    progress = enrolment_progress(enrolment)
    if not progress.eligible:
        raise NotEligible(progress)
    return _create(progress, user), True


def issue_course(course: Course, user: User, on_each=None) -> tuple[list, list]:
    """Every eligible enrolment of the course: (issued, not eligible with reasons)."""
    issued, refused = [], []
    # The course's certificates in one query, not two per trainee.
    held: dict[int, dict[str, Certificate]] = {}
    for certificate in db.session.scalars(
        select(Certificate)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(Enrolment.course_id == course.id)
    ):
        held.setdefault(certificate.enrolment_id, {})[certificate.status] = certificate
    for progress in course_progress(course).values():
        if on_each:
            on_each(progress)
        statuses = held.get(progress.enrolment.id, {})
        if any(status in statuses for status in HELD):
            continue
        if (revoked := statuses.get(CertificateStatus.REVOKED)) is not None:
            missing = [{"code": "certificate_revoked", "message": _revoked_message(revoked)}]
            refused.append({"enrolment_id": progress.enrolment.id, "missing": missing})
            continue
        if progress.eligible:
            issued.append(_create(progress, user))
        else:
            refused.append(
                {
                    "enrolment_id": progress.enrolment.id,
                    "missing": [{"code": m.code, "message": m.message} for m in progress.missing],
                }
            )
    return issued, refused


def revoke(certificate: Certificate, reason: str) -> Certificate:
    reason = one_line(reason)
    if not reason:
        message = _l("Give the reason for the revocation.")
        raise Invalid(message, {"reason": [message]})
    if certificate.status not in HELD:
        raise Conflict(
            _l(
                "Only a valid certificate can be revoked; this one is %(status)s.",
                status=certificate.status,
            )
        )
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_on = clock.today()
    certificate.revocation_reason = reason[:2000]
    sign(certificate)
    db.session.flush()
    return certificate


def reissue(certificate: Certificate, user: User) -> Certificate:
    """A new number for the same achievement (a corrected name, a lost paper)."""
    if certificate.status not in HELD:
        raise Conflict(
            _l(
                "Only a valid certificate can be reissued; this one is %(status)s.",
                status=certificate.status,
            )
        )
    # The same rule as a first issue: a result corrected since (a pass that was a fail)
    # must not come back as a valid certificate under a new number.
    progress = enrolment_progress(certificate.enrolment)
    if not progress.eligible:
        raise NotEligible(progress)
    certificate.status = CertificateStatus.SUPERSEDED
    sign(certificate)
    db.session.flush()  # the old one stops being valid before the new one is
    # A copy, not a renewal: it keeps the expiry date (a refresher course renews).
    replacement = _create(progress, user, replaces=certificate, expires_on=certificate.expires_on)
    certificate.superseded_by = replacement
    db.session.flush()
    return replacement


def shown_status(certificate: Certificate) -> str:
    """valid, revoked, superseded, or expired (a valid one past its date)."""
    if certificate.status == CertificateStatus.VALID and certificate.expires_on < clock.today():
        return CertificateStatus.EXPIRED
    return certificate.status
