"""The dates the register keeps: 2000-01-01 to 2200-12-31, one rule for every entry path.

The API's SaneDate, the forms' InRange and the course services all ask `in_range`,
so a date refused by one is refused by all (a course starting on 2200-12-01 would
end in 2201, and is refused as such).
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2200, 12, 31)
RANGE_MESSAGE = _l("Must be between the years 2000 and 2200.")


def in_range(day: date | None) -> bool:
    return day is None or FIRST_DAY <= day <= LAST_DAY


class InRange:
    """A WTForms validator: the field's date lies within the register's years."""

    def __call__(self, _form, field) -> None:
        if not in_range(field.data):
            raise ValidationError(str(RANGE_MESSAGE))
