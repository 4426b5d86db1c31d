"""API documents for accounts and tokens (they validate input and write the OpenAPI)."""

from marshmallow import Schema, fields, validate

from core.api import Email, Flag, Id, Text, page_schema
from models.account import Role

ROLES = [role.value for role in Role]


class TokenRequestSchema(Schema):
    email = Text(required=True, validate=validate.Length(max=254))
    password = Text(required=True, load_only=True, validate=validate.Length(max=1024))


class TokenSchema(Schema):
    token = fields.String(required=True)
    expires_at = fields.AwareDateTime(required=True)


PASSWORD_LENGTH = validate.Length(
    min=12, max=128, error="The password must have between {min} and {max} characters."
)


class UserSchema(Schema):
    id = fields.Integer(dump_only=True, required=True)
    version = fields.Integer(dump_only=True, required=True)
    email = Email(required=True)
    password = Text(required=True, load_only=True, validate=PASSWORD_LENGTH)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    full_name = Text(required=True, validate=validate.Length(min=1, max=200))
    trainee_id = Id(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The trainee record of a trainee's account; null for other roles."
        },
    )
    active = Flag(load_default=True)
    organisation_id = Id(
        allow_none=True,
        load_default=None,
        metadata={"description": "The ministry an administrator or instructor works for."},
    )
    position = Text(load_default="", validate=validate.Length(max=200))
    rank = Text(load_default="", validate=validate.Length(max=80))
    approver = Flag(
        load_default=False,
        metadata={"description": "Approves certificates for its organisation (signs them)."},
    )
    created_at = fields.AwareDateTime(dump_only=True)


class UserChangeSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    full_name = Text(validate=validate.Length(min=1, max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    active = Flag()
    password = Text(load_only=True, validate=PASSWORD_LENGTH)
    organisation_id = Id(allow_none=True)
    position = Text(validate=validate.Length(max=200))
    rank = Text(validate=validate.Length(max=80))
    approver = Flag()


UserPageSchema = page_schema(UserSchema, "UserPage")
