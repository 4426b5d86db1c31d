"""URL converters shared by every blueprint."""

from werkzeug.routing import IntegerConverter

from core.api import MAX_ID


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive 32-bit number, so an absurd one is a 404, not a crash."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)

    @staticmethod
    def openapi_schema(_converter) -> dict:
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
