"""API: the report by organisation."""

from flask.views import MethodView
from flask_login import current_user

from auth.permissions import roles
from core.api import Blueprint
from models import Role
from trainees.reports import schemas
from trainees.reports.period import organisation_report, report_document

reports = Blueprint(
    "Reports",
    __name__,
    url_prefix="/api/v1/reports",
    description="Figures for each ministry over a period.",
)


@reports.route("/organisations")
class OrganisationReport(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @reports.arguments(schemas.ReportArgsSchema, location="query")
    @reports.response(200, schemas.ReportSchema)
    @reports.errors(401, 403, 422)
    def get(self, args):
        """Each organisation's figures over the period; instructors: only their courses."""
        return report_document(organisation_report(current_user, **args))
