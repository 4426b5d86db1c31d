"""Dates, weekdays and numbers as each language writes them: one set of filters.

Templates use these filters and Python-made sentences the same functions, so one
screen never mixes "2026-12-25", "Dec 3, 2026" and "12/2/26". Everything goes
through Babel with the reader's locale; nothing here spells a month or a weekday.
"""

import re
from datetime import date, datetime
from functools import lru_cache

from babel import dates
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_timezone,
    lazy_gettext,
    to_user_timezone,
)
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from core import template_gettext

# A date written "7 дек. 2026 г." ends with an abbreviation's full stop; a sentence
# that ends there takes no second one (but an ellipsis "..." is left alone).
DOUBLED_STOP = re.compile(r"(?<=[^\s.])\.\.(?!\.)")

# Whole sentences, one per weekday: the translator puts the weekday in the case the
# sentence needs ("за среду", not "за среда"). Monday first, as date.weekday() counts.
ATTENDANCE_ON = (
    lazy_gettext("Attendance on Monday, %(date)s"),
    lazy_gettext("Attendance on Tuesday, %(date)s"),
    lazy_gettext("Attendance on Wednesday, %(date)s"),
    lazy_gettext("Attendance on Thursday, %(date)s"),
    lazy_gettext("Attendance on Friday, %(date)s"),
    lazy_gettext("Attendance on Saturday, %(date)s"),
    lazy_gettext("Attendance on Sunday, %(date)s"),
)


def one_full_stop(text: str) -> str:
    """The sentence with a full stop doubled after an abbreviation made single."""
    if ".." not in text:  # most text: no regular expression to run
        return text
    single = DOUBLED_STOP.sub(".", str(text))
    # Markup in, Markup out: the text was escaped already, nothing is added to it.
    return Markup(single) if isinstance(text, Markup) else single  # noqa: S704  # nosec B704


@lru_cache(maxsize=16384)
def _date_text(value: date, style: str, locale: str) -> str:
    """A day written in a style ("long", "medium") or a skeleton ("MMMd"), kept once made.

    The same days come back on every page (a grid writes 38 of them twice per request)
    and Babel takes tens of microseconds for each; a day's text never changes.
    """
    if style in ("long", "medium"):
        return dates.format_date(value, style, locale=locale)
    return dates.format_skeleton(style, value, locale=locale)


@lru_cache(maxsize=4096)
def _date_in_format(value: date, format: str, locale: str) -> str:
    return dates.format_date(value, format, locale=locale)


def date_format(value, format: str | None = None) -> str:
    """Templates' `format_date`, Flask-Babel's filter with each day's text kept once made.

    A verification page writes four or five dates and a list of sixty certificates
    three per row; for a `date`, the text depends only on the day, format and language.
    """
    if type(value) is date:
        return _date_in_format(value, format or "medium", str(get_locale()))
    return format_date(value, format)  # a datetime: shown in the reader's time zone


def datetime_format(value, format: str | None = None) -> str:
    """Templates' `format_datetime`: Flask-Babel's, each moment's text kept once made.

    A moment is written in the configured time zone, part of the key with the language:
    a verification page writes each approval's moment, and Babel takes longer for that
    than for the rest of the page's content.
    """
    if type(value) is not datetime:
        return format_datetime(value, format)
    return _moment_in_format(value, format, str(get_locale()), str(get_timezone()))


@lru_cache(maxsize=4096)
def _moment_in_format(value: datetime, format: str | None, _locale: str, _zone: str) -> str:
    return format_datetime(value, format)


def _day(value: date, style: str) -> str:
    if type(value) is not date:  # a datetime is shown in the reader's time zone
        if style in ("long", "medium"):
            return format_date(value, style)
        return dates.format_skeleton(style, value, locale=get_locale())
    return _date_text(value, style, str(get_locale()))


def long_date(value: date) -> str:
    """7 December 2026, 7 декабря 2026 г., 7 dekabr 2026."""
    return _day(value, "long")


def medium_date(value: date) -> str:
    """Dec 7, 2026, 7 дек. 2026 г., 7 dek 2026: the date in lists and sentences."""
    return _day(value, "medium")


def day_month(value: date) -> str:
    """Dec 7, 7 дек., 7 dek: a day of a course whose year the page already says."""
    return _day(value, "MMMd")


def day_month_numeric(value: date) -> str:
    """12/7, 07.12: the narrowest day label (a column of the attendance grid)."""
    return _day(value, "dM")


def moment(value: datetime) -> str:
    """A date with the time of day, in the configured time zone: Dec 7, 2026, 5:00 PM."""
    local, locale = to_user_timezone(value), get_locale()
    glue = dates.get_datetime_format("medium", locale=locale)  # "{1}, {0}": date, time
    return glue.replace("{1}", dates.format_date(local, "medium", locale=locale)).replace(
        "{0}", dates.format_time(local, "short", locale=locale)
    )


def number(value: float | int, digits: int = 0) -> str:
    """1,234 in English, 1 234 in Russian; `digits` fixed decimals."""
    return format_decimal(value, format="#,##0" + ("." + "0" * digits if digits else ""))


def attendance_on(value: date) -> str:
    """The heading of a day's sheet: "Attendance on Wednesday, 2 December 2026"."""
    return str(ATTENDANCE_ON[value.weekday()]) % {"date": long_date(value)}


# Dates inside sentences. A service's message ("%(day)s is a rest day of this course.")
# is read on an HTML page, in the API's error body and on the command line alike, so
# the service never writes the date itself: it passes the `date` (or `datetime`) as a
# parameter of `lazy_sentence`, and the date is written when the message is read, in
# the reader's language, as lists and sentences write it (`medium_date`, "Jan 17, 2021",
# "17 янв. 2021 г."; `moment` for a datetime). The API says the same words as the page
# (API.md: "the same error messages"); a program reads `code` and `fields`, and the
# dates of the resources themselves stay YYYY-MM-DD. Services import it as `_l`, the
# keyword the catalogue's extraction knows. A view that says a sentence at once writes
# its date itself: `_("...", day=medium_date(day))`.


class Rate(float):
    """A rate in percent inside a sentence ("Attendance is %(rate)s%%"): written with one
    decimal as the reader's language writes numbers, 81.3 or 81,3; the sentence adds %."""


def _written(value):
    """A date, a moment or a Rate as the reader's language writes it; else as it is."""
    if isinstance(value, Rate):
        return format_decimal(float(value), format="#,##0.0")
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return medium_date(value)
    return value


def sentence(string: str, **variables) -> str:
    """gettext, with each date of `variables` written as the reader's language writes it.

    The catalogue is the one the request already found. A certificates tab says "The
    course ends on Dec 20, 2026." for each of 60 trainees: a sentence once written is
    kept for its catalogue, text and values (days, numbers and strings only; a value
    of another kind, such as a lazy string, is written anew each time).
    """
    catalogue = template_gettext.catalogue()
    try:
        key = tuple((name, type(value), value) for name, value in variables.items())
        return _kept_sentence(catalogue, string, key)
    except TypeError:  # a value that cannot be a key
        return _written_sentence(catalogue, string, variables)


@lru_cache(maxsize=4096)
def _kept_sentence(catalogue, string: str, key: tuple) -> str:
    if not all(type(value) in KEPT_TYPES for _name, _type, value in key):
        raise TypeError("not kept")
    return _written_sentence(catalogue, string, {name: value for name, _type, value in key})


# Values whose text depends on nothing but themselves and the language (a moment, a
# datetime, is written in the configured time zone too: not kept).
KEPT_TYPES = frozenset({str, int, date, Rate, type(None)})


def _written_sentence(catalogue, string: str, variables: dict) -> str:
    text = catalogue.ugettext(string)
    if variables:
        text = text % {name: _written(value) for name, value in variables.items()}
    return one_full_stop(text)


def lazy_sentence(string: str, **variables) -> LazyString:
    """`sentence`, translated and written when the message is read (as lazy_gettext)."""
    return LazyString(sentence, string, **variables)


def register(app) -> None:
    """The filters for templates, and gettext that never doubles a full stop."""
    app.jinja_env.filters.update(
        format_date=date_format,
        format_datetime=datetime_format,
        long_date=long_date,
        medium_date=medium_date,
        day_month=day_month,
        day_month_numeric=day_month_numeric,
        moment=moment,
        number=number,
        attendance_on=attendance_on,
    )
    template_gettext.install(app, one_full_stop)
