"""The report as tables: the same rows for the page, the workbook and the PDF."""

from flask_babel import lazy_gettext as _l

from core.translated import localised
from models import Organisation
from trainees.reports.figures import Report

REASON_NAMES = {
    "module_not_passed": _l("A mandatory module is not passed"),
    "attendance_below_threshold": _l("Attendance is below the threshold"),
    "days_not_recorded": _l("Training days have no attendance record"),
    "course_not_ended": _l("The course has not ended"),
    "withdrawn": _l("Withdrawn from the course"),
}


def organisation_name(organisation: Organisation) -> str:
    """The organisation's name in the reader's language, English when not translated."""
    return localised(organisation, "name")


def summary_table(report: Report) -> tuple[list, list[list]]:
    header = [
        _l("Organisation"),
        _l("Courses"),
        _l("Enrolled"),
        _l("Withdrawn"),
        _l("Completed"),
        _l("Attendance rate (%)"),
        _l("Below the attendance threshold (%)"),
        _l("Certificates issued"),
        _l("Certificates pending approval"),
        _l("Certificates revoked"),
        _l("Did not qualify"),
    ]
    rows = [
        [
            organisation_name(row.organisation),
            row.courses,
            row.enrolled,
            row.withdrawn,
            row.completed,
            row.attendance_rate,
            row.below_threshold,
            row.certificates_issued,
            row.certificates_pending,
            row.certificates_revoked,
            row.not_qualified,
        ]
        for row in report.organisations
    ]
    return header, rows


def modules_table(report: Report) -> tuple[list, list[list]]:
    header = [
        _l("Organisation"),
        _l("Module"),
        _l("Title"),
        _l("Trainees assessed"),
        _l("Passed at the first attempt (%)"),
        _l("Passed in the end (%)"),
    ]
    rows = [
        [
            organisation_name(row.organisation),
            module.code,
            module.title,
            module.assessed,
            module.first_attempt_pass_rate,
            module.pass_rate,
        ]
        for row in report.organisations
        for module in row.modules
    ]
    return header, rows


def reasons_table(report: Report, codes: bool = False) -> tuple[list, list[list]]:
    """The reasons in words; `codes` adds the API's codes beside them (the workbook's
    readers sort and count by them), which a page or a printout does not need."""
    header = [_l("Organisation"), _l("Reason"), *([_l("Code")] if codes else []), _l("Trainees")]
    rows = [
        [
            organisation_name(row.organisation),
            REASON_NAMES.get(code, code),
            *([code] if codes else []),
            count,
        ]
        for row in report.organisations
        for code, count in sorted(row.reasons.items())
    ]
    return header, rows


def courses_table(report: Report) -> tuple[list, list[list]]:
    header = [_l("Course"), _l("Title"), _l("Attendance rate (%)")]
    rows = [[c.code, c.title, c.attendance.rate] for c in report.courses]
    return header, rows


def all_tables(report: Report, codes: bool = False) -> list[tuple[str, list, list[list]]]:
    """(title, header, rows) of every table, in reading order."""
    return [
        (str(_l("Organisations")), *summary_table(report)),
        (str(_l("Modules")), *modules_table(report)),
        (str(_l("Reasons")), *reasons_table(report, codes)),
        (str(_l("Courses")), *courses_table(report)),
    ]
