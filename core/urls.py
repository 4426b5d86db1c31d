"""URL converters shared by every blueprint."""

from collections.abc import Callable
from datetime import date
from urllib.parse import urlsplit

from flask import request, url_for
from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

from core.api import MAX_ID


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host (open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None  # backslashes and control characters: browsers read them loosely
    return target


# Stand-ins for the one value that differs between the links of a list: the largest id
# and the last day converters accept, which no real record has.
STAND_INS = {int: MAX_ID, date: date(9999, 12, 31)}


def link_maker(endpoint: str, key: str, kind: type, **values) -> Callable[[object], str]:
    """`url_for(endpoint, key=value, **values)` for each row of a list, built once.

    Werkzeug takes about ten microseconds to build a URL, and a grid's 38 day headings
    and a matrix's 60 names each built theirs: the URL is built once with a stand-in
    `kind` value (an id or a day) and each row's value is put in its place.
    """
    stand_in = STAND_INS[kind]
    written = str(stand_in) if kind is int else stand_in.isoformat()
    head, found, tail = url_for(endpoint, **values, **{key: stand_in}).partition(written)
    if not found or written in tail:  # the stand-in is not there once: build each
        return lambda value: url_for(endpoint, **values, **{key: value})
    if kind is int:
        return lambda value: f"{head}{int(value)}{tail}"
    return lambda value: f"{head}{value.isoformat()}{tail}"


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD date from a form or query string, or None."""
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def bounded(text: str | None) -> int | None:
    """A number from a query string (None if it is none), capped so the database can hold it.

    A number past the cap finds nothing, as it would have: an empty page, no record.
    """
    if text is None or not text.isdigit():
        return None
    return min(int(text), MAX_ID)


def page_number() -> int:
    """The list page asked for (`?page=`), 1 when none; an absurd one is an empty page."""
    return max(bounded(request.args.get("page")) or 1, 1)


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive 32-bit number, so an absurd one is a 404, not a crash."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)

    @staticmethod
    def openapi_schema(_converter) -> dict:
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class IsoDateConverter(BaseConverter):
    """`<isodate:day>`: a YYYY-MM-DD date; anything else is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)

    @staticmethod
    def openapi_schema(_converter) -> dict:
        return {"type": "string", "format": "date"}
