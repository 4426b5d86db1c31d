"""URL converters shared by every blueprint."""

from datetime import date
from urllib.parse import urlsplit

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
