"""API documents for trainees and enrolments."""

from marshmallow import Schema, fields, validate

from core.api import Email, Id, SaneDate, Text, change_schema, page_schema
from models import EnrolmentStatus


class TraineeSchema(Schema):
    id = fields.Integer(dump_only=True, required=True)
    version = fields.Integer(dump_only=True, required=True)
    organisation_id = Id(required=True)
    personal_number = Text(required=True, validate=validate.Length(min=1, max=30))
    rank = Text(required=True, validate=validate.Length(min=1, max=80))
    full_name = Text(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "In the native script."},
    )
    full_name_latin = Text(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "Passport spelling; empty: ICAO Doc 9303 transliteration."},
    )
    date_of_birth = fields.Date(required=True)
    email = Email(allow_none=True, load_default=None)
    medical_clearance_until = SaneDate(required=True)
    organisation_code = fields.String(dump_only=True, attribute="organisation.code")


class TraineeListArgsSchema(Schema):
    q = Text(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "Words matched against both names and the personal number."},
    )
    organisation_id = Id(strict=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=1_000_000))


class ImportSchema(Schema):
    created = fields.Integer(required=True)


class EnrolmentRequestSchema(Schema):
    trainee_id = Id(required=True)


class EnrolmentSchema(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    trainee_id = fields.Integer(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf([s.value for s in EnrolmentStatus])
    )
    enrolled_at = fields.AwareDateTime()
    withdrawn_on = fields.Date(allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)
    trainee_name = fields.String(attribute="trainee.full_name")
    trainee_name_latin = fields.String(attribute="trainee.full_name_latin")
    organisation_code = fields.String(attribute="trainee.organisation.code")


class WithdrawalSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=2000))
    date = SaneDate(metadata={"description": "Default: today."})


TraineeChangeSchema = change_schema(TraineeSchema, "TraineeChange")
TraineePageSchema = page_schema(TraineeSchema, "TraineePage")
EnrolmentPageSchema = page_schema(EnrolmentSchema, "EnrolmentPage")
