"""Which language a request is answered in."""

from flask import current_app, has_request_context, request


def select_locale() -> str:
    """The browser's preferred language among those offered, else English."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # commands print in English
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"


def inject_locale() -> dict:
    """`current_locale` for templates (the page's `lang` attribute)."""
    from flask_babel import get_locale

    return {"current_locale": str(get_locale() or "en")}
