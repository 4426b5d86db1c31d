"""The language switcher: kept for the visit, also for visitors who are not signed in."""

from functools import lru_cache

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from core.urls import safe_next
from extensions import db

bp = Blueprint("language", __name__)


@bp.route("/language/<code>", methods=["POST"])
def switch_language(code: str):
    """Answer in this language for the rest of the visit (declared public in app.py).

    Signed in, it also becomes the account's language (as on the account page): the
    account's language comes first, so a switch that left it would change nothing.
    """
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["language"] = code
    if current_user.is_authenticated and current_user.language != code:
        current_user.language = code
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("auth.index"))


def language_actions() -> dict[str, str]:
    """Where each of the switcher's buttons posts, for every page's top bar (built once)."""
    return _actions(request.script_root, tuple(current_app.config["LANGUAGES"]))


@lru_cache(maxsize=16)
def _actions(_script_root: str, languages: tuple) -> dict[str, str]:
    return {code: url_for("language.switch_language", code=code) for code in languages}
