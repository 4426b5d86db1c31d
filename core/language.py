"""The language switcher: kept for the visit, also for visitors who are not signed in."""

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
