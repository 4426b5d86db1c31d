"""The import template as CSV and XLSX downloads."""

from flask import Response

from auth.permissions import roles
from models import Role
from trainees import bp
from trainees.import_template import template_csv, template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    disposition = f'attachment; filename="{filename}"'
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})


@bp.route("/trainees/import/template.csv")
@roles(Role.ADMIN)
def import_template_csv():
    """The columns to fill in, which are required, their formats and the organisation codes."""
    return _download(template_csv(), "text/csv", "trainees-import-template.csv")


@bp.route("/trainees/import/template.xlsx")
@roles(Role.ADMIN)
def import_template_xlsx():
    """The same template as a workbook: trainees on the first sheet, help on the others."""
    return _download(template_xlsx(), XLSX, "trainees-import-template.xlsx")
