"""Errors: the rule-broken exceptions services raise, and how each edge answers them.

Services raise `Invalid`, `Conflict` or `NotEligible` with a message in words and,
where it helps, the field at fault. Under /api/ every error becomes the JSON body of
API.md; elsewhere a friendly HTML page. Nothing under /api/ ever answers HTML.
"""

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from core import audit
from core.api_messages import translate
from extensions import db

# API.md fixes these codes; statuses it does not name map to the nearest one.
CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "bad_request",
    409: "conflict",
    412: "conflict",
    413: "bad_request",
    415: "bad_request",
    422: "validation_error",
    429: "forbidden",  # not now: the answer says when to try again (Retry-After)
    503: "unavailable",
}
ERROR_CODES = (
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "conflict",
    "validation_error",
    "not_eligible",
    "unavailable",
    "server_error",
)

DEFAULT_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Sign in first: the request carries no valid token."),
    403: _l("You are not allowed to do this."),
    404: _l("Nothing was found at this address."),
    405: _l("This address does not accept that method."),
    409: _l("This conflicts with the current state of the record."),
    413: _l("The upload is too large."),
    415: _l("This content type is not accepted."),
    422: _l("Some values are not valid."),
    429: _l("Too many requests from this address. Wait a minute and try again."),
    503: _l("The database is briefly out of reach and nothing was saved. Try again shortly."),
}


class RuleBroken(Exception):
    """A request that breaks a rule of the domain; nothing has been changed."""

    status = 422
    code = "validation_error"

    def __init__(self, message, fields: dict | None = None, **extra):
        super().__init__(str(message))
        self.message = message
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}
        self.extra = extra


class Invalid(RuleBroken):
    """A value that is not acceptable (422)."""


class Conflict(RuleBroken):
    """A clash with the current state: duplicate, full, stale version (409)."""

    status = 409
    code = "conflict"


class Forbidden(RuleBroken):
    """An action the signed-in user may not take on this record (403)."""

    status = 403
    code = "forbidden"


def wants_json() -> bool:
    """True for the API, whose callers must never receive an HTML page."""
    return request.path == "/api" or request.path.startswith("/api/")


def json_error(status: int, code: str, message, fields=None, headers=None, **extra):
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    body.update(extra)
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_messages(messages, prefix="") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into {"a.0.b": ["..."]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, msgs in flatten_messages(value, name).items():
                flat.setdefault(field, []).extend(msgs)
    elif isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            flat[prefix or "_schema"] = [str(m) for m in messages]
        else:
            for item in messages:
                for field, msgs in flatten_messages(item, prefix).items():
                    flat.setdefault(field, []).extend(msgs)
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def _http_exception_as_json(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    fields = None
    message = data.get("message") or DEFAULT_MESSAGES.get(status) or error.description
    if "messages" in data:
        # webargs files its messages by location: {"json": {...}, "query": {...}}
        merged: dict[str, list[str]] = {}
        for location_messages in data["messages"].values():
            for field, msgs in flatten_messages(location_messages).items():
                merged.setdefault(field, []).extend(translate(m) for m in msgs)
        if status == 400:
            message = _("The body is not valid JSON.")
        else:
            fields = merged
    headers = dict(data.get("headers") or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    code = CODE_BY_STATUS.get(status, "server_error" if status >= 500 else "bad_request")
    return json_error(status, code, message, fields, headers)


def _http_exception_as_page(error: HTTPException):
    status = error.code or 500
    response = current_app.make_response(
        (render_template("errors/error.html", status=status, error=error), status)
    )
    if status == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_http_exception(error: HTTPException):
    if wants_json():
        return _http_exception_as_json(error)
    return _http_exception_as_page(error)


def audit_refusals(response):
    """after_request: every 403, however it came about, is a security event in the trail."""
    if response.status_code == 403:
        db.session.rollback()  # nothing the refused request started is kept
        audit.record(
            "access_refused",
            "security",
            after={"method": request.method, "path": request.path[:200]},
        )
        db.session.commit()
    return response


def handle_rule_broken(error: RuleBroken):
    """Last resort for a rule broken outside a form: views normally catch it themselves."""
    if wants_json():
        return json_error(error.status, error.code, error.message, error.fields, **error.extra)
    return (
        render_template("errors/error.html", status=error.status, message=error.message),
        error.status,
    )


def handle_database_refusal(error: Exception):
    """The database's own guard fired: a race the Python checks could not see.

    Two requests took the same e-mail or the same version at the same moment; the
    database kept its rules and refused one. Nothing was saved, so it is a 409
    (or a 422 for a value the database cannot hold), never a 500.
    """
    db.session.rollback()
    current_app.logger.info("database refused a change: %s", error)
    if isinstance(error, DataError):
        refusal = Invalid(_l("A value is too long or out of range."))
    else:
        refusal = Conflict(
            _l("Someone else changed this at the same moment. Reload and try again.")
        )
    return handle_rule_broken(refusal)


def handle_database_unavailable(error: Exception):
    """The database did not answer: restarting, unreachable, or locked past the busy timeout.

    The transaction is lost with the connection, so nothing was saved: a 503 with
    Retry-After tells the caller that the same request may simply be sent again.
    """
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; nothing to roll back
        db.session.remove()
    current_app.logger.warning("database unavailable: %s", error)
    retry = str(current_app.config.get("DATABASE_RETRY_AFTER_SECONDS", 5))
    message = DEFAULT_MESSAGES[503]
    if wants_json():
        return json_error(503, "unavailable", message, headers={"Retry-After": retry})
    page = render_template("errors/error.html", status=503, message=message)
    return page, 503, {"Retry-After": retry}


def register_error_handlers(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(RuleBroken, handle_rule_broken)
    app.register_error_handler(IntegrityError, handle_database_refusal)
    app.register_error_handler(DataError, handle_database_refusal)
    app.register_error_handler(StaleDataError, handle_database_refusal)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(PoolTimeout, handle_database_unavailable)
    # Unexpected exceptions reach handle_http_exception as InternalServerError
    # (Flask logs them first), so even a bug answers JSON under /api/.
