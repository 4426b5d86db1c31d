"""The register of qualified specialists (administrators): page, CSV and XLSX."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from auth.permissions import roles
from core import clock
from core.errors import Invalid
from core.exports import csv_response, xlsx_response
from core.urls import bounded
from extensions import db
from models import Organisation, Role
from trainees import bp
from trainees.qualifications import EOD_LEVELS, register_query, register_rows

PER_PAGE = 100
EXPORT_HEADER = (
    _l("Number"),
    _l("Holder"),
    _l("Holder (Latin)"),
    _l("Rank"),
    _l("Organisation"),
    _l("Qualification"),
    _l("EOD level"),
    _l("Issued on"),
    _l("Expires on"),
)
FIELDS = (
    "number",
    "holder",
    "holder_latin",
    "rank",
    "organisation",
    "qualification",
    "eod_level",
    "issued_on",
    "expires_on",
)


def _filters() -> tuple[dict, dict]:
    """The filters of the query string, and a message for each one that is not understood."""
    filters, problems = {}, {}
    organisation = request.args.get("organisation_id", "").strip()
    if organisation:
        filters["organisation_id"] = bounded(organisation)
        if filters["organisation_id"] is None:
            problems["organisation_id"] = [_("Choose an organisation from the list.")]
    level = request.args.get("level", "").strip()
    if level:
        filters["level"] = level[:3]
    days = request.args.get("expiring_within_days", "").strip()
    if days:
        filters["expiring_within_days"] = bounded(days)
        if filters["expiring_within_days"] is None:
            problems["expiring_within_days"] = [_("Give a whole number of days.")]
    return filters, problems


def _statement():
    filters, problems = _filters()
    if problems:
        raise Invalid(_("The register cannot be filtered by these values."), problems)
    return register_query(clock.today(), **filters)


@bp.route("/qualifications")
@roles(Role.ADMIN)
def register_page():
    """Who holds a valid qualification today; by organisation, EOD level, coming expiry."""
    filters, problems = _filters()
    rows, total = [], 0
    if not problems:
        try:
            statement = register_query(clock.today(), **filters)
        except Invalid as error:
            problems = error.fields
        else:
            rows = register_rows(statement.limit(PER_PAGE + 1))
            total = len(rows)
    return render_template(
        "trainees/register.html",
        rows=rows[:PER_PAGE],
        more=total > PER_PAGE,
        problems=problems,
        filters=filters,
        raw=request.args,
        levels=EOD_LEVELS,
        organisations=db.session.scalars(select(Organisation).order_by(Organisation.name)),
        query=request.query_string.decode()[:500],
    ), 422 if problems else 200


def _export_rows():
    return [[row[name] for name in FIELDS] for row in register_rows(_statement())]


@bp.route("/qualifications.csv")
@roles(Role.ADMIN)
def register_csv():
    """The register (as filtered) as CSV."""
    return csv_response("qualified-specialists.csv", EXPORT_HEADER, _export_rows())


@bp.route("/qualifications.xlsx")
@roles(Role.ADMIN)
def register_xlsx():
    """The register (as filtered) as a workbook."""
    title = str(_l("Qualified specialists"))
    return xlsx_response("qualified-specialists.xlsx", title, EXPORT_HEADER, _export_rows())
