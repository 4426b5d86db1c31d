"""Which language a request is answered in, and the switcher that changes it."""

import json
from functools import lru_cache

from babel import numbers
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from core.audit import DERIVED

LANGUAGE_NAMES = {"en": "English", "az": "Azərbaycanca", "ru": "Русский"}


def select_locale() -> str:
    """The account's own language, then the one the address names (`?lang=ru`), then the
    switcher's, then the browser's, then English."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # commands print in English
    offered = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in offered:
        return current_user.language
    if not request.path.startswith("/api/"):
        # A public page's switcher links to itself in another language: a checkpoint's
        # visit keeps nothing (no cookie), and the link can be passed on as it is.
        named = request.args.get("lang")
        if named in offered:
            return named
        chosen = session.get("language")
        if chosen in offered:
            return chosen
    return request.accept_languages.best_match(offered) or "en"


def inject_locale() -> dict:
    """`current_locale` and the switcher's choices for templates."""
    return {"current_locale": str(get_locale() or "en"), "language_names": LANGUAGE_NAMES}


def percent(value: float | None, digits: int = 1, sign: bool = True) -> str:
    """A rate for the reader's language: 81.3% in English, 81,3 % in Russian and Azerbaijani."""
    if value is None:
        return "—"
    return _percent_text(float(value), digits, sign, str(get_locale() or "en"))


@lru_cache(maxsize=8192)
def _percent_text(value: float, digits: int, sign: bool, locale: str) -> str:
    """Made once per value and language: a grid writes one rate per trainee per request."""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    text = numbers.format_decimal(value, format=pattern, locale=locale)
    if not sign:
        return text
    return text + ("%" if locale == "en" else "\u00a0%")


def readable_json(value) -> str:
    """JSON as people read it: Cyrillic and Azerbaijani letters as letters (escaped by Jinja),
    without the lookup columns older entries of the trail still carry (core.audit.DERIVED)."""
    if isinstance(value, dict):
        value = {key: item for key, item in value.items() if key not in DERIVED}
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
