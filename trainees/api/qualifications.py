"""API: the register of qualified specialists."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from auth.permissions import roles
from core import clock
from core.api import MAX_PER_PAGE, Blueprint, Id, PageArgsSchema, page_schema
from extensions import db
from models import Role
from trainees.qualifications import EOD_LEVELS, register_query, register_rows

qualifications = Blueprint(
    "Qualifications",
    __name__,
    url_prefix="/api/v1/qualifications",
    description="Who holds a valid qualification today.",
)


class RegisterArgsSchema(PageArgsSchema):
    organisation_id = Id(strict=False)
    level = fields.String(validate=validate.OneOf(EOD_LEVELS), metadata={"description": "EOD"})
    expiring_within_days = fields.Integer(
        validate=validate.Range(min=0, max=3660),
        metadata={"description": "Only those that expire within this many days."},
    )


class QualificationSchema(Schema):
    number = fields.String(required=True)
    holder = fields.String(required=True)
    holder_latin = fields.String(required=True)
    rank = fields.String(required=True)
    organisation = fields.String(required=True)
    organisation_id = fields.Integer(required=True)
    qualification = fields.String(required=True)
    eod_level = fields.String(required=True, allow_none=True)
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)


QualificationPageSchema = page_schema(QualificationSchema, "QualificationPage")


@qualifications.route("")
class Qualifications(MethodView):
    @roles(Role.ADMIN)
    @qualifications.arguments(RegisterArgsSchema, location="query")
    @qualifications.response(200, QualificationPageSchema)
    @qualifications.errors(401, 403, 422)
    def get(self, args):
        """Valid certificates, nearest expiry first; filter by organisation, level, expiry."""
        page, per_page = args.pop("page"), min(args.pop("per_page"), MAX_PER_PAGE)
        statement = register_query(clock.today(), **args)
        total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
        rows = register_rows(statement.limit(per_page).offset((page - 1) * per_page))
        return {"items": rows, "total": total}
