"""What a certificate says beyond its first version: the holder's identity for a
checkpoint, every text in az and ru, the EOD level and who signs for each ministry.

All of it is copied when the certificate is issued (later edits of the records
change nothing printed) and signed with the rest of the certificate.
"""

from sqlalchemy import select

from extensions import db
from models import Course, Organisation, User
from trainees.progress import Progress


def issuing_organisations(course: Course) -> list[Organisation]:
    """The organisations of the course's instructors and quotas, by name."""
    found = {u.organisation.id: u.organisation for u in course.instructors if u.organisation}
    found |= {quota.organisation.id: quota.organisation for quota in course.quotas}
    return sorted(found.values(), key=lambda organisation: organisation.name)


def default_signatory(organisation: Organisation) -> dict:
    """Who signs for the organisation when no approval names them: its first approver."""
    approver = db.session.scalar(
        select(User)
        .where(User.organisation_id == organisation.id, User.approver, User.active)
        .order_by(User.full_name)
        .limit(1)
    )
    return signatory(organisation, approver)


def signatory(organisation: Organisation, user: User | None) -> dict:
    return {
        "organisation": organisation.name,
        "organisation_i18n": organisation.name_i18n or {},
        "language": organisation.language,
        "name": user.full_name if user else "",
        "position": user.position if user else "",
        "rank": user.rank if user else "",
    }


def document_details(progress: Progress) -> dict:
    enrolment = progress.enrolment
    course, trainee = enrolment.course, enrolment.trainee
    programme = course.programme
    organisations = issuing_organisations(course)
    texts = {
        "course_title": course.title_i18n or {},
        "location": course.location_i18n or {},
        "qualification": programme.qualification_i18n or {},
        "holder_organisation": trainee.organisation.name_i18n or {},
        "modules": {m.code: m.title_i18n for m in progress.modules if m.title_i18n},
        "eod_modules": list(programme.eod_modules or []),
        "signatories": [default_signatory(organisation) for organisation in organisations],
    }
    return {
        "holder_rank": trainee.rank,
        "holder_personal_number": trainee.personal_number,
        "holder_birth_date": trainee.date_of_birth,
        "holder_organisation": trainee.organisation.name,
        "texts": texts,
        "eod_level": programme.eod_level,
    }


def signatories(certificate) -> list[dict]:
    """One signature block per issuing organisation: the approver who approved, else
    the organisation's approver when it was issued, else a blank line to sign."""
    texts = certificate.texts or {}
    blocks = {block["organisation"]: block for block in texts.get("signatories", [])}
    for approval in certificate.approvals:
        block = blocks.setdefault(approval.organisation_name, {"organisation_i18n": {}})
        block.update(
            organisation=approval.organisation_name,
            name=approval.name,
            position=approval.position,
            rank=approval.rank,
        )
    for name in certificate.issuers:
        blocks.setdefault(
            name,
            {"organisation": name, "organisation_i18n": {}, "name": "", "position": "", "rank": ""},
        )
    return [blocks[name] for name in sorted(blocks)]
