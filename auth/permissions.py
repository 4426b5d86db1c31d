"""Who may use which route: declared on every view, refused when undeclared.

A view says who may use it with one of the decorators below. `enforce_access`
runs before every request and refuses anything not granted: a redirect to the
sign-in page for a browser without a session, 401 for the API, 403 for a signed-in
user. Checks on a particular record ("an instructor of this course") happen in
the view after the record is loaded: load (404), check (403), act.
"""

from collections.abc import Iterable

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from models.account import Role

PUBLIC = "public"
SIGNED_IN = frozenset(Role)
_ATTRIBUTE = "access_rule"


def _declare(rule):
    def decorator(view):
        setattr(view, _ATTRIBUTE, rule)
        # API operations document the same rule, so the OpenAPI cannot drift from it.
        manual_doc = view.__dict__.setdefault("_apidoc", {}).setdefault("manual_doc", {})
        if rule == PUBLIC:
            manual_doc["security"] = []
            manual_doc["x-access"] = ["anyone"]
        else:
            manual_doc["x-access"] = sorted(rule)
        return view

    return decorator


def public(view):
    """Anyone, signed in or not."""
    return _declare(PUBLIC)(view)


def signed_in(view):
    """Any signed-in account."""
    return _declare(SIGNED_IN)(view)


def roles(*allowed: Role):
    """Signed-in accounts with one of these roles."""
    return _declare(frozenset(allowed))


def declare_public_endpoints(app, endpoints: Iterable[str]) -> None:
    """Endpoints registered by extensions (static files, the OpenAPI document)."""
    app.extensions.setdefault("public_endpoints", set()).update(endpoints)


def access_rule(endpoint: str, method: str):
    """The rule a route declared for this method, or None when it declared none."""
    if endpoint in current_app.extensions.get("public_endpoints", ()):
        return PUBLIC
    view = current_app.view_functions[endpoint]
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        rule = getattr(handler, _ATTRIBUTE, None)
        if rule is not None:
            return rule
        return getattr(view_class, _ATTRIBUTE, None)
    return getattr(view, _ATTRIBUTE, None)


def enforce_access():
    """before_request: refuse whatever the route did not grant."""
    if request.endpoint is None:
        return None  # routing failed: Flask answers 404 or 405 itself
    if request.method == "OPTIONS":
        return None  # Flask's automatic answer lists the methods, nothing more
    rule = access_rule(request.endpoint, request.method)
    if rule == PUBLIC:
        return None
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            abort(401)
        # A page asked for in a language (?lang=az) asks for the sign-in in it too.
        named = request.args.get("lang")
        language = named if named in current_app.config["LANGUAGES"] else None
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?"), lang=language))
    if rule is None or current_user.role not in rule:
        abort(403)
    return None
