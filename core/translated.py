"""Texts kept in three languages: English in the field itself, az and ru beside it.

A record's `title` is English and required; `title_i18n` holds {"az": ..., "ru": ...}
when a translator gave them. A missing translation falls back to English, and the
page says so (`falls_back`), so nobody mistakes an English line for a translation.
"""

from flask_babel import get_locale, gettext
from markupsafe import Markup
from marshmallow import fields, validate

from core.api import Text

TRANSLATED_LANGUAGES = ("az", "ru")


def i18n_field(max_length: int = 200, **kwargs) -> fields.Dict:
    """The API's `<field>_i18n`: optional on write, always answered ({} when none)."""
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(TRANSLATED_LANGUAGES)),
        values=Text(validate=validate.Length(max=max_length)),
        load_default=dict,
        metadata={"description": "The text in Azerbaijani and Russian; English is the field."},
        **kwargs,
    )


def clean(texts: dict | None) -> dict:
    """Only the languages given, without blanks: an empty box means 'use English'."""
    cleaned = {}
    for language, text in (texts or {}).items():
        text = " ".join(str(text or "").replace("\x00", "").split())
        if language in TRANSLATED_LANGUAGES and text:
            cleaned[language] = text
    return cleaned


def reader_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def in_language(english: str, texts: dict | None, language: str) -> str:
    """The text in `language`, or the English one when no translation was given."""
    return (texts or {}).get(language) or english


def falls_back(texts: dict | None, language: str) -> bool:
    return language in TRANSLATED_LANGUAGES and not (texts or {}).get(language)


def localised(record, field: str, language: str | None = None) -> str:
    """record.<field> in the reader's language (templates: `localised(course, 'title')`)."""
    language = language or reader_language()
    return in_language(getattr(record, field), getattr(record, f"{field}_i18n", None), language)


def localised_falls_back(record, field: str) -> bool:
    return falls_back(getattr(record, f"{field}_i18n", None), reader_language())


def shown(record, field: str) -> Markup:
    """For pages: the text in the reader's language, saying so when it is English instead."""
    text = localised(record, field)
    if not localised_falls_back(record, field):
        return Markup.escape(text)
    note = gettext("no translation: shown in English")
    return Markup('{} <span class="small text-muted fst-italic" lang="en">({})</span>').format(
        text, note
    )
