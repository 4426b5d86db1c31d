"""The register of qualified specialists: who holds a valid qualification today.

A certificate is a qualification while it is valid and not past its expiry date.
The register (page, CSV, XLSX, API) and the refresher list ask the same query.
"""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from core.errors import Invalid
from extensions import db
from models import (
    Certificate,
    CertificateStatus,
    Course,
    Enrolment,
    Organisation,
    Programme,
    Trainee,
)

EOD_LEVELS = ("1", "2", "3", "3+")
MAX_DAYS = 3660  # ten years ahead is as far as any certificate reaches


def eod_level_column():
    """The EOD level (IMAS 09.30) of the certificate's programme, as a SQL expression."""
    return Programme.eod_level


def register_query(
    today: date,
    organisation_id: int | None = None,
    level: str | None = None,
    expiring_within_days: int | None = None,
) -> Select:
    """Rows of (certificate, trainee, organisation, programme, EOD level), nearest expiry first."""
    problems = {}
    if level is not None and level not in EOD_LEVELS:
        problems["level"] = [_l("Choose an EOD level: 1, 2, 3 or 3+.")]
    if expiring_within_days is not None and not 0 <= expiring_within_days <= MAX_DAYS:
        problems["expiring_within_days"] = [
            _l("Give a number of days from 0 to %(max)d.", max=MAX_DAYS)
        ]
    if problems:
        raise Invalid(_l("The register cannot be filtered by these values."), problems)
    level_column = eod_level_column()
    statement = (
        select(Certificate, Trainee, Organisation, Programme, level_column.label("eod_level"))
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .join(Organisation, Organisation.id == Trainee.organisation_id)
        .join(Course, Course.id == Enrolment.course_id)
        .join(Programme, Programme.id == Course.programme_id)
        .where(Certificate.status == CertificateStatus.VALID, Certificate.expires_on >= today)
        .order_by(Certificate.expires_on, Certificate.number)
    )
    if organisation_id is not None:
        statement = statement.where(Trainee.organisation_id == organisation_id)
    if level is not None:
        statement = statement.where(level_column == level)
    if expiring_within_days is not None:
        horizon = today + timedelta(days=expiring_within_days)
        statement = statement.where(Certificate.expires_on <= horizon)
    return statement


def register_rows(statement: Select) -> list[dict]:
    return [qualification_document(*row) for row in db.session.execute(statement)]


def qualification_document(certificate, trainee, organisation, programme, eod_level) -> dict:
    return {
        "number": certificate.number,
        "holder": certificate.holder_name,
        "holder_latin": certificate.holder_name_latin,
        "rank": trainee.rank,
        "organisation": organisation.name,
        "organisation_id": organisation.id,
        "qualification": certificate.qualification,
        "eod_level": eod_level,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
    }
