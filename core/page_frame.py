"""The parts of every page that are the same from one request to the next, made once.

Every page links the same stylesheets and scripts, and a signed-in account's menu
depends only on what its role may do. Rendered for each request, these cost a short
page (the public verification page) more than its own content: about twenty URL
builds and as many translations. They are rendered on first use and kept, per
language and per script root (the app may be served under a path prefix).

A fragment's template must read nothing but the values it is given: whatever else
it read (the user, the request) would be kept and shown to the next visitor.
"""

from functools import lru_cache

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup


def fragment(template: str, **values) -> Markup:
    """`template` rendered with `values` only, kept for the reader's language."""
    key = tuple(sorted(values.items()))
    return _rendered(template, str(get_locale() or "en"), request.script_root, key)


@lru_cache(maxsize=512)
def _rendered(template: str, _language: str, _script_root: str, values: tuple) -> Markup:
    return Markup(render_template(template, **dict(values)))  # noqa: S704  # nosec B704


def register(app) -> None:
    app.jinja_env.globals["fragment"] = fragment
