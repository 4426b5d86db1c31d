"""The language switcher: kept for the visit, also for visitors who are not signed in."""

from functools import lru_cache

from flask import Blueprint, abort, current_app, redirect, request, session, url_for

from core.urls import safe_next

bp = Blueprint("language", __name__)


@bp.route("/language/<code>", methods=["POST"])
def switch_language(code: str):
    """Answer in this language for the rest of the visit (declared public in app.py)."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["language"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("auth.index"))


def language_actions() -> dict[str, str]:
    """Where each of the switcher's buttons posts, for every page's top bar (built once)."""
    return _actions(request.script_root, tuple(current_app.config["LANGUAGES"]))


@lru_cache(maxsize=16)
def _actions(_script_root: str, languages: tuple) -> dict[str, str]:
    return {code: url_for("language.switch_language", code=code) for code in languages}
