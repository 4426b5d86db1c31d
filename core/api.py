"""The API base: the Api extension, the error schema it documents, list pages."""

import copy
import json

import flask_smorest
from flask import current_app, request
from marshmallow import RAISE, Schema, fields, missing, validate
from webargs.flaskparser import FlaskParser, abort

from core.dates import in_range
from core.errors import wants_json

MAX_PER_PAGE = 200


class MissingConditionSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)


class RowErrorSchema(Schema):
    row = fields.Integer(required=True)
    field = fields.String(required=True)
    message = fields.String(required=True)


class ErrorBodySchema(Schema):
    code = fields.String(
        required=True,
        validate=validate.OneOf(
            [
                "bad_request",
                "unauthorized",
                "forbidden",
                "not_found",
                "conflict",
                "validation_error",
                "not_eligible",
                "unavailable",
                "server_error",
            ]
        ),
        metadata={"description": "Stable, English, machine-readable."},
    )
    message = fields.String(required=True, metadata={"description": "For people."})
    field_messages = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages per field; nested fields as `a.0.b`."},
    )
    missing = fields.List(
        fields.Nested(MissingConditionSchema),
        metadata={"description": "With `not_eligible`: the conditions not met."},
    )
    errors = fields.List(
        fields.Nested(RowErrorSchema),
        metadata={"description": "With an import: every bad row."},
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class Api(flask_smorest.Api):
    """flask-smorest, documenting the error body of API.md.

    core.errors answers every error (for the API and the pages alike), so the
    handler flask-smorest would register is left out.
    """

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        super()._register_responses()
        self.spec.components.response(
            "NOT_JSON",
            {
                "description": "A body that is not application/json.",
                "content": {"application/json": {"schema": self.ERROR_SCHEMA}},
            },
        )
        self.spec.components.response(
            "UNKNOWN_QUERY",
            {
                "description": "A query parameter the operation does not take.",
                "content": {"application/json": {"schema": self.ERROR_SCHEMA}},
            },
        )
        self.spec.components.response(
            "UNAVAILABLE",
            {
                "description": "The database is briefly out of reach; nothing was saved. "
                "Send the same request again after Retry-After seconds.",
                "content": {"application/json": {"schema": self.ERROR_SCHEMA}},
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again.",
                        "schema": {"type": "integer"},
                    }
                },
            },
        )


# The one API extension (bound in app.create_app); here, not in extensions.py, so that
# extensions.py imports nothing of the project and the core package sits above it.
api = Api()


class NoBodySchema(Schema):
    """The body of an operation that takes none: nothing, or `{}`. Any field sent is
    refused (422 "Unknown field."), never silently ignored: a client that believes it
    chose something (an organisation to approve for) learns that it did not."""


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=1_000_000),
        metadata={"description": f"Items per page; more than {MAX_PER_PAGE} gives {MAX_PER_PAGE}."},
    )


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """The `{"items": [...], "total": N}` envelope of API.md for one item schema."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "total": fields.Integer(required=True),
        },
        name=name,
    )


def refuse_undeclared_query():
    """before_request: an API operation that takes no query parameter refuses any sent
    (422 "Unknown field."), as one that takes some refuses those it does not know
    (StrictParser): `?organisation_id=2` on an approval is never silently ignored."""
    if not request.args or not wants_json():
        return
    view = current_app.view_functions.get(request.endpoint)
    operation = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    if operation is None:
        return  # not an operation of the document (the document itself)
    parameters = getattr(operation, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    if not any(parameter["in"] == "query" for parameter in parameters):
        abort(422, messages={"query": {name: ["Unknown field."] for name in request.args}})


def no_html_under_api(response):
    """after_request: Flask's automatic OPTIONS answer is an empty HTML page; not here."""
    if request.method == "OPTIONS" and request.path.startswith("/api/"):
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
    return response


def change_schema(base: type[Schema], name: str) -> type[Schema]:
    """The PATCH body of a resource: every writable field optional, `version` required.

    Missing fields stay as they are (no defaults are filled in), so a PATCH changes
    only what it names.
    """
    declared = {}
    for field_name, field in base._declared_fields.items():
        if field.dump_only:
            continue
        optional = copy.deepcopy(field)
        optional.required = False
        optional.load_default = missing
        declared[field_name] = optional
    declared["version"] = fields.Integer(
        required=True, strict=True, metadata={"description": "The version last read."}
    )
    return Schema.from_dict(declared, name=name)


class StrictParser(FlaskParser):
    """JSON bodies only, parsed without surprises; unknown query parameters refused."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }

    def _raw_load_json(self, req):
        if req.get_data(cache=True) and not req.is_json:
            abort(415, message="Send the body as application/json.")
        try:
            data = super()._raw_load_json(req)
        except (RecursionError, ValueError) as error:
            if isinstance(error, json.JSONDecodeError | UnicodeDecodeError):
                raise
            # Nesting too deep, or an integer too long to convert: not JSON we accept.
            abort(400, exc=error, messages={"json": ["Invalid JSON body."]})
        if isinstance(data, dict | list):
            _refuse_duplicate_keys(req.get_data(cache=True))
        return data


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple]) -> dict:
    seen = set()
    for key, _value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen.add(key)
    return dict(pairs)


def _refuse_duplicate_keys(body: bytes) -> None:
    """{"score": 40, "score": 95}: which one was meant? Neither is taken: a 422.

    Python keeps the last, other parsers the first, so a proxy or a log could read
    another value than the one saved.
    """
    try:
        json.loads(body, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as duplicate:
        key = str(duplicate.args[0])[:100]
        abort(422, messages={"json": {key: ["This key appears more than once in the body."]}})


ERROR_DESCRIPTIONS = {
    400: "Malformed JSON",
    401: "No token, or a bad or expired one",
    403: "Not allowed for this account",
    404: "Unknown",
    409: "Conflict with the current state",
    422: "Invalid values",
    429: "Too many attempts: wait for Retry-After seconds",
}


class Blueprint(flask_smorest.Blueprint):
    """An API blueprint: strict arguments, and a short way to document errors."""

    ARGUMENTS_PARSER = StrictParser()

    def errors(self, *statuses: int):
        """Document the error answers an operation can give, beside the default one."""

        def decorator(func):
            for status in statuses:
                func = self.alt_response(
                    status, schema=ErrorSchema, description=ERROR_DESCRIPTIONS[status]
                )(func)
            return func

        return decorator

    @staticmethod
    def _prepare_response_doc(doc, doc_info, *, api, spec, **kwargs):
        # Any operation can meet a database that is briefly out of reach (core/errors.py).
        responses = doc_info.setdefault("response", {}).setdefault("responses", {})
        if "UNAVAILABLE" not in responses.setdefault(503, []):
            responses[503].append("UNAVAILABLE")
        # Any operation refuses a query parameter it does not take (refuse_undeclared_query).
        # (One that takes arguments documents its 422 already, as flask-smorest does.)
        declared = doc_info.get("arguments") or responses.get(422) or responses.get("422")
        if not declared:
            responses[422] = ["UNKNOWN_QUERY"]
        # One that takes a body takes it as JSON only (StrictParser); the arguments'
        # preparer has made the body its requestBody by now.
        if "requestBody" in (doc_info.get("arguments") or {}):
            responses.setdefault(415, ["NOT_JSON"])
        return flask_smorest.Blueprint._prepare_response_doc(
            doc, doc_info, api=api, spec=spec, **kwargs
        )


class Text(fields.String):
    """A string the database can store: no NUL character, no lone surrogate."""

    default_error_messages = {
        "nul": "Must not contain NUL characters.",
        "encoding": "Must be valid Unicode text.",
    }

    def __init__(self, **kwargs):
        metadata = {"pattern": "^[^\\u0000]*$", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("nul")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise self.make_error("encoding") from None
        return text


class Email(Text):
    """An e-mail address (checked again, and normalised, by the account services)."""

    def __init__(self, **kwargs):
        validators = [validate.Email(), validate.Length(max=254)]
        super().__init__(validate=validators, metadata={"format": "email"}, **kwargs)


class Flag(fields.Boolean):
    """A JSON true or false, nothing else (no 0, 1, "yes")."""

    default_error_messages = {"invalid": "Not a valid boolean: use true or false."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class SaneDate(fields.Date):
    """A date within the years the courses can concern (2000-2200)."""

    default_error_messages = {"range": "Must be between the years 2000 and 2200."}

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not in_range(day):
            raise self.make_error("range")
        return day


# Primary keys are 32-bit on every supported database.
MAX_ID = 2**31 - 1


def Id(**kwargs) -> fields.Integer:  # noqa: N802 - reads like a field class
    """A record's number; in a query string (where all is text) pass strict=False."""
    kwargs.setdefault("strict", True)
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)
