"""API documents of the report by organisation."""

from marshmallow import Schema, fields

from core.api import Id, SaneDate


class ReportArgsSchema(Schema):
    start = SaneDate(data_key="from", metadata={"description": "Default: 1 January this year."})
    end = SaneDate(data_key="to", metadata={"description": "Default: 31 December this year."})
    organisation_id = Id(strict=False, metadata={"description": "One organisation only."})


def _rate(description: str):
    return fields.Float(
        required=True, allow_none=True, metadata={"description": description + " Null: none."}
    )


class ModuleFiguresSchema(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    assessed = fields.Integer(required=True, metadata={"description": "Trainees assessed."})
    first_attempt_pass_rate = _rate("Percent of those assessed who passed at the first attempt.")
    pass_rate = _rate("Percent of those assessed whose attempt that counts is a pass.")


class OrganisationFiguresSchema(Schema):
    organisation_id = fields.Integer(required=True)
    name = fields.String(required=True)
    courses = fields.Integer(required=True, metadata={"description": "Courses with its trainees."})
    enrolled = fields.Integer(required=True)
    withdrawn = fields.Integer(required=True)
    completed = fields.Integer(
        required=True, metadata={"description": "Not withdrawn, and the course has ended."}
    )
    attendance_rate = _rate("Over every recorded training day of its trainees.")
    below_threshold = _rate("Percent of its trainees (with a rate) below the threshold.")
    below_threshold_count = fields.Integer(required=True)
    certificates_issued = fields.Integer(
        required=True, metadata={"description": "Valid or revoked; a reissue counts once."}
    )
    certificates_pending = fields.Integer(required=True)
    certificates_revoked = fields.Integer(required=True)
    not_qualified = fields.Integer(
        required=True, metadata={"description": "Trainees of ended courses with no certificate."}
    )
    not_qualified_reasons = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Eligibility `missing` code -> trainees lacking it."},
    )
    modules = fields.List(fields.Nested(ModuleFiguresSchema), required=True)


class ReportSchema(Schema):
    start = fields.Date(data_key="from", attribute="from", required=True)
    end = fields.Date(data_key="to", attribute="to", required=True)
    organisations = fields.List(fields.Nested(OrganisationFiguresSchema), required=True)
