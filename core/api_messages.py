"""marshmallow's own field messages, so the API can answer them in the reader's language.

They are listed here only for the translators' catalogue; `translate` looks a message up
at answer time and leaves any other text (values interpolated in it) as it is.
"""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

MESSAGES = [
    _l("Missing data for required field."),
    _l("Unknown field."),
    _l("Field may not be null."),
    _l("Invalid input type."),
    _l("Not a valid integer."),
    _l("Not a valid number."),
    _l("Not a valid string."),
    _l("Not a valid date."),
    _l("Not a valid datetime."),
    _l("Not a valid boolean."),
    _l("Not a valid list."),
    _l("Not a valid mapping type."),
    _l("Not a valid email address."),
    _l("Must not contain NUL characters."),
    _l("Must be valid Unicode text."),
    _l("Must be between the years 2000 and 2200."),
    _l("Not a valid boolean: use true or false."),
    _l("The score must be between 0 and 100."),
    _l("Invalid JSON body."),
    _l("This key appears more than once in the body."),
]


def translate(message: str) -> str:
    """The message in the request's language when the catalogue has it."""
    return gettext(message) if message else message
