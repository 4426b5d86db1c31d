"""The report by organisation: the page with its charts, the workbook, the PDF."""

import re

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from auth.permissions import roles
from core.errors import Invalid
from core.exports import xlsx_workbook_response
from core.name_order import sort_key
from core.urls import bounded, parse_day
from extensions import db
from models import Organisation, Role
from trainees import bp
from trainees.reports.charts import attendance_per_course_chart, pass_rate_by_organisation_chart
from trainees.reports.figures import Report
from trainees.reports.pdf import report_pdf
from trainees.reports.period import organisation_report, this_year
from trainees.reports.tables import all_tables, organisation_name


def _question() -> tuple[dict, dict]:
    """The period and organisation asked for in the query string, and what is wrong with it."""
    asked, problems = {}, {}
    for name, key in (("from", "start"), ("to", "end")):
        text = request.args.get(name, "").strip()
        if text:
            asked[key] = parse_day(text[:20])
            if asked[key] is None or not 2000 <= asked[key].year <= 2200:
                problems[name] = [_("Give a date as YYYY-MM-DD.")]
    organisation = request.args.get("organisation_id", "").strip()
    if organisation:
        asked["organisation_id"] = bounded(organisation)
        if asked["organisation_id"] is None:
            problems["organisation_id"] = [_("Choose an organisation from the list.")]
    return asked, problems


def _report() -> tuple[Report, Organisation | None]:
    """The report asked for, and the one organisation it is of (None: all of them)."""
    asked, problems = _question()
    if problems:
        raise Invalid(_("The report cannot be made for these values."), problems)
    report = _in_reader_order(organisation_report(current_user, **asked))
    chosen = asked.get("organisation_id")
    return report, db.session.get(Organisation, chosen) if chosen else None


def _in_reader_order(report: Report) -> Report:
    """The organisations in the alphabetical order of the names the reader reads (the API
    keeps the English names' order): on an Azerbaijani page, Azerbaijan's ministry no
    longer came after Russia's."""
    report.organisations.sort(key=lambda row: sort_key(organisation_name(row.organisation)))
    return report


def _filename(report: Report, organisation: Organisation | None, extension: str) -> str:
    """report-2026-01-01-2026-12-31.pdf, or report-AZ-MES-2026-...: each ministry's file
    keeps its own name in a downloads folder."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", organisation.code) if organisation else ""
    of = f"{code}-" if code.strip("-") else ""
    return f"report-{of}{report.start.isoformat()}-{report.end.isoformat()}.{extension}"


@bp.route("/reports/organisations")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def organisation_report_page():
    """Each organisation's figures over a period, with charts; instructors: their courses."""
    asked, problems = _question()
    report = None
    if not problems:
        try:
            report = _in_reader_order(organisation_report(current_user, **asked))
        except Invalid as error:
            problems = error.fields
    start, end = this_year()
    organisations = sorted(
        db.session.scalars(select(Organisation)), key=lambda o: sort_key(organisation_name(o))
    )
    return render_template(
        "trainees/report_organisations.html",
        report=report,
        problems=problems,
        values={
            "from": request.args.get("from", start.isoformat())[:20],
            "to": request.args.get("to", end.isoformat())[:20],
            "organisation_id": asked.get("organisation_id"),
        },
        organisations=organisations,
        organisation_name=organisation_name,
        tables=all_tables(report) if report else [],
        attendance_chart=attendance_per_course_chart(report, _("Attendance per course"))
        if report
        else "",
        pass_chart=pass_rate_by_organisation_chart(report) if report else "",
        query=request.query_string.decode()[:500],
    ), 422 if problems else 200


@bp.route("/reports/organisations.xlsx")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def organisation_report_xlsx():
    """The report as a workbook: one sheet per table, nothing a spreadsheet runs as a formula."""
    report, organisation = _report()
    return xlsx_workbook_response(
        _filename(report, organisation, "xlsx"), all_tables(report, codes=True)
    )


@bp.route("/reports/organisations.pdf")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def organisation_report_pdf():
    """The report as a printable A4 document, with its charts."""
    report, organisation = _report()
    filename = _filename(report, organisation, "pdf")
    return Response(
        report_pdf(report, organisation),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
