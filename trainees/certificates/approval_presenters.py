"""The approvals and the holder's identity, as the API and the verification page show them."""

from flask import g
from sqlalchemy import select

from core.translated import in_language, localised, reader_language
from extensions import db
from models import Certificate, Organisation


def approval_details(certificate: Certificate) -> dict:
    return {
        "approvals": [
            {
                "organisation": approval.organisation_name,
                "name": approval.name,
                "position": approval.position,
                "rank": approval.rank,
                "approved_at": approval.approved_at,
            }
            for approval in certificate.approvals
        ],
        "approvals_required": list(certificate.approvals_required or []),
    }


def organisation_names() -> dict[str, str]:
    """Each organisation's name (as certificates name it) -> in the reader's language.

    Read once per request, for lists of certificates that name their issuers by name
    (`approvals_required`; names are unique).
    """
    if "organisation_names" not in g:
        g.organisation_names = {
            organisation.name: localised(organisation, "name")
            for organisation in db.session.scalars(select(Organisation))
        }
    return g.organisation_names


def masked(personal_number: str | None) -> str | None:
    """Only the last four characters: enough to match a paper, too little to misuse."""
    if not personal_number:
        return None
    return "*" * max(len(personal_number) - 4, 3) + personal_number[-4:]


def checkpoint_details(certificate: Certificate) -> dict:
    """What a checkpoint needs to match the paper to the person in front of it.

    A certificate carries these since they were copied onto it at issue (its holder's
    organisation is always set then, and a missing rank means none). Certificates
    issued before take them from the trainee record (their signature never covered them).
    """
    if certificate.holder_organisation is not None:
        rank, organisation = certificate.holder_rank, certificate.holder_organisation
        number, birth = certificate.holder_personal_number, certificate.holder_birth_date
    else:
        trainee = certificate.enrolment.trainee
        rank, organisation = trainee.rank, trainee.organisation.name
        number, birth = trainee.personal_number, trainee.date_of_birth
    return {
        "holder_rank": rank,
        "holder_organisation": organisation,
        "personal_number_masked": masked(number),
        "birth_year": birth.year if birth else None,
    }


def reader_texts(certificate: Certificate) -> dict:
    """The certificate's texts in the reader's language, where a translation was kept."""
    language, texts = reader_language(), certificate.texts or {}
    return {
        "course": in_language(certificate.course_title, texts.get("course_title"), language),
        "location": in_language(certificate.location, texts.get("location"), language),
        "qualification": in_language(
            certificate.qualification, texts.get("qualification"), language
        ),
        "organisation": in_language(
            certificate.holder_organisation or "", texts.get("holder_organisation"), language
        ),
        "eod_modules": texts.get("eod_modules", []),
    }
