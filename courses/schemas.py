"""API documents for organisations, programmes and courses."""

from marshmallow import Schema, fields, validate

from core.api import Id, SaneDate, Text, change_schema, page_schema
from core.translated import i18n_field
from courses.countries import COUNTRY_CODES
from models import CourseStatus, ModuleKind
from models.organisation import LANGUAGES

CODE = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$", error="Letters, digits, '.', '_' and '-' only."
)


def code_field(**kwargs):
    return Text(validate=[validate.Length(min=1, max=30), CODE], **kwargs)


def name_field(**kwargs):
    return Text(validate=validate.Length(min=1, max=200), **kwargs)


class OrganisationSchema(Schema):
    id = fields.Integer(dump_only=True, required=True)
    version = fields.Integer(dump_only=True, required=True)
    code = Text(required=True, validate=[validate.Length(min=1, max=20), CODE])
    name = name_field(required=True)
    name_i18n = i18n_field()
    country = fields.String(
        required=True,
        validate=validate.OneOf(COUNTRY_CODES, error="Not an ISO 3166 alpha-2 country code."),
        metadata={"description": "ISO 3166-1 alpha-2, upper case (AZ, RU)."},
    )
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))


class ModuleSchema(Schema):
    code = code_field(required=True)
    title = name_field(required=True)
    title_i18n = i18n_field()
    hours = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10_000))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ModuleKind]))
    pass_mark = fields.Integer(
        required=True,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "0-100 for a scored (theory) module; null for pass/fail."},
    )
    mandatory = fields.Boolean(load_default=True)
    prerequisites = fields.List(code_field(), load_default=list)


class ProgrammeSchema(Schema):
    id = fields.Integer(dump_only=True, required=True)
    version = fields.Integer(dump_only=True, required=True)
    code = code_field(required=True)
    title = name_field(required=True)
    qualification = name_field(required=True)
    title_i18n = i18n_field()
    qualification_i18n = i18n_field()
    certificate_approvals = fields.String(
        load_default="none",
        validate=validate.OneOf(["none", "each_organisation"]),
        metadata={"description": "each_organisation: every issuing organisation approves."},
    )
    eod_level = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(["1", "2", "3", "3+"]),
        metadata={"description": "The IMAS 09.30 EOD level certified; null: free text."},
    )
    eod_modules = fields.List(
        Text(validate=validate.Length(min=1, max=200)),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": "The EOD 3+ modules covered (only with eod_level 3+)."},
    )
    duration_days = fields.Integer(strict=True, load_default=45, validate=validate.Range(1, 366))
    attendance_threshold = fields.Integer(
        strict=True, load_default=90, validate=validate.Range(0, 100)
    )
    rest_weekdays = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=0, max=6)),
        load_default=lambda: [6],
        validate=validate.Length(max=6, error="At least one weekday must be a training day."),
        metadata={"description": "Monday = 0 ... Sunday = 6; at most six."},
    )
    max_attempts = fields.Integer(strict=True, load_default=2, validate=validate.Range(1, 20))
    validity_months = fields.Integer(strict=True, load_default=36, validate=validate.Range(1, 600))
    hours_per_day = fields.Integer(strict=True, load_default=8, validate=validate.Range(1, 24))
    total_hours = fields.Integer(dump_only=True)
    modules = fields.List(
        fields.Nested(ModuleSchema), required=True, validate=validate.Length(min=1, max=200)
    )


class CancelledDaySchema(Schema):
    date = fields.Date(required=True)
    reason = fields.String(required=True)


class CourseSchema(Schema):
    id = fields.Integer(dump_only=True, required=True)
    version = fields.Integer(dump_only=True, required=True)
    programme_id = Id(required=True)
    code = code_field(required=True)
    title = name_field(required=True)
    title_i18n = i18n_field()
    start_date = SaneDate(required=True)
    end_date = fields.Date(dump_only=True)
    location = name_field(required=True)
    location_i18n = i18n_field()
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(1, 10_000))
    quotas = fields.Dict(
        keys=Text(validate=validate.Length(min=1, max=20)),
        values=fields.Integer(strict=True, validate=validate.Range(0, 10_000)),
        load_default=dict,
        metadata={"description": "Most trainees per organisation code."},
    )
    instructor_ids = fields.List(Id(), load_default=list)
    holidays = fields.List(SaneDate(), load_default=list)
    status = fields.String(validate=validate.OneOf([s.value for s in CourseStatus]))
    training_days = fields.List(fields.Date(), dump_only=True)
    cancelled_days = fields.List(fields.Nested(CancelledDaySchema), dump_only=True)


class PlanDaySchema(Schema):
    date = SaneDate(required=True)
    modules = fields.List(code_field(), required=True)


class PlanChangeSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    days = fields.List(fields.Nested(PlanDaySchema), required=True)


OrganisationChangeSchema = change_schema(OrganisationSchema, "OrganisationChange")
ProgrammeChangeSchema = change_schema(ProgrammeSchema, "ProgrammeChange")
CourseChangeSchema = change_schema(CourseSchema, "CourseChange")
OrganisationPageSchema = page_schema(OrganisationSchema, "OrganisationPage")
ProgrammePageSchema = page_schema(ProgrammeSchema, "ProgrammePage")
CoursePageSchema = page_schema(CourseSchema, "CoursePage")
