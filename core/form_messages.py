"""WTForms' own messages, kept in this application's catalogue.

WTForms has no Azerbaijani catalogue, and its Russian wording differs from ours: a form
left empty said "This field is required." to an Azerbaijani administrator. The forms
(core.forms.BaseForm) read this catalogue first and WTForms' own second. These are the
messages the validators and fields the forms use can give; marking them here is what
puts them in the catalogue (`make update-messages`).
"""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln

MARKED = (
    _l("This field is required."),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _ln(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    _ln(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    _ln(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
)
