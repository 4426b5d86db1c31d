"""The report's question: which period, which organisation, asked by whom."""

from datetime import date

from flask_babel import lazy_gettext as _l

from core import clock
from core.errors import Invalid
from extensions import db
from models import Organisation, User
from trainees.reports.figures import Report, build_report


def this_year() -> tuple[date, date]:
    today = clock.today()
    return date(today.year, 1, 1), date(today.year, 12, 31)


def organisation_report(
    user: User,
    start: date | None = None,
    end: date | None = None,
    organisation_id: int | None = None,
) -> Report:
    """The report over the period (default: this year), checked before anything is counted."""
    default_start, default_end = this_year()
    start, end = start or default_start, end or default_end
    problems = {}
    if start > end:
        problems["to"] = [_l("The end of the period must not be before its start.")]
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        problems["organisation_id"] = [_l("No organisation has this number.")]
    if problems:
        raise Invalid(_l("The report cannot be made for these values."), problems)
    return build_report(start, end, user, clock.today(), organisation_id)


def report_document(report: Report) -> dict:
    """The report as API.md names its fields."""
    return {
        "from": report.start,
        "to": report.end,
        "organisations": [
            {
                "organisation_id": row.organisation.id,
                "name": row.organisation.name,
                "courses": row.courses,
                "enrolled": row.enrolled,
                "withdrawn": row.withdrawn,
                "completed": row.completed,
                "attendance_rate": row.attendance_rate,
                "below_threshold": row.below_threshold,
                "below_threshold_count": row.below,
                "certificates_issued": row.certificates_issued,
                "certificates_pending": row.certificates_pending,
                "certificates_revoked": row.certificates_revoked,
                "not_qualified": row.not_qualified,
                "not_qualified_reasons": dict(sorted(row.reasons.items())),
                "modules": [
                    {
                        "code": module.code,
                        "title": module.title,
                        "assessed": module.assessed,
                        "first_attempt_pass_rate": module.first_attempt_pass_rate,
                        "pass_rate": module.pass_rate,
                    }
                    for module in row.modules
                ],
            }
            for row in report.organisations
        ],
    }
