"""API documents of certificates and their verification."""

from marshmallow import Schema, fields, validate

from core.api import MissingConditionSchema, Text


class ApprovalSchema(Schema):
    organisation = fields.String(required=True)
    name = fields.String(required=True)
    position = fields.String(required=True)
    rank = fields.String(required=True)
    approved_at = fields.AwareDateTime(required=True)


class RefusalSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=2000))


class CertificateSchema(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    number = fields.String(required=True)
    verification_code = fields.String(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["valid", "pending_approval", "revoked", "superseded", "expired"]),
    )
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    holder = fields.String(required=True)
    holder_latin = fields.String(required=True)
    course = fields.String(required=True)
    qualification = fields.String(required=True)
    hours = fields.Integer(required=True)
    enrolment_id = fields.Integer(required=True)
    verification_url = fields.String(required=True)
    revoked_on = fields.Date(allow_none=True)
    revocation_reason = fields.String(allow_none=True)
    replaces = fields.String(allow_none=True, metadata={"description": "Number it replaced."})
    superseded_by = fields.String(allow_none=True, metadata={"description": "Its successor."})
    approvals = fields.List(fields.Nested(ApprovalSchema), required=True)
    approvals_required = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The organisations that must approve it ([]: none)."},
    )


class NotEligibleSchema(Schema):
    enrolment_id = fields.Integer(required=True)
    missing = fields.List(fields.Nested(MissingConditionSchema), required=True)


class CourseIssueSchema(Schema):
    issued = fields.List(fields.Nested(CertificateSchema), required=True)
    not_eligible = fields.List(fields.Nested(NotEligibleSchema), required=True)


class RevocationSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=2000))


class VerificationSchema(Schema):
    valid = fields.Boolean(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(
            ["valid", "pending_approval", "revoked", "superseded", "expired", "invalid"]
        ),
        metadata={"description": "invalid: the record was altered and fails its signature."},
    )
    number = fields.String(required=True)
    holder = fields.String(required=True)
    holder_latin = fields.String(required=True)
    course = fields.String(required=True)
    qualification = fields.String(required=True)
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    approvals = fields.List(fields.Nested(ApprovalSchema), required=True)
    approvals_required = fields.List(fields.String(), required=True)
    holder_rank = fields.String(allow_none=True)
    holder_organisation = fields.String(allow_none=True)
    personal_number_masked = fields.String(
        allow_none=True, metadata={"description": "Only the last four characters shown."}
    )
    birth_year = fields.Integer(allow_none=True)
