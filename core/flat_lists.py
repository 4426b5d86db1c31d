"""Long lists of flat records in the API, loaded and dumped without a schema per record.

A sheet's save sends 60 records and gets 60 back. Marshmallow takes each through a
nested schema, about twenty calls a field: for a sheet that was a third of the
request. A record that the list's `well_formed` check accepts is taken as it is, with
the schema's defaults filled in; if any record is not, the whole list goes through
the schema, which finds and words every problem exactly as before. So the check may
only accept what the schema would load unchanged (tests/test_flat_lists.py compares
the two on awkward input). Without a check (a list only answered), every load goes
through the schema. The OpenAPI document is the same as for a plain List.
"""

from collections.abc import Callable

from marshmallow import Schema, fields


class FlatList(fields.List):
    def __init__(
        self,
        schema: type[Schema],
        well_formed: Callable[[object], bool] | None = None,
        defaults: dict | None = None,
        **kwargs,
    ):
        super().__init__(fields.Nested(schema), **kwargs)
        self.well_formed = well_formed
        self.defaults = defaults or {}
        self.keys = frozenset(schema._declared_fields)

    def _deserialize(self, value, attr, data, **kwargs):
        quick = self.well_formed
        if quick is not None and type(value) is list and all(map(quick, value)):
            return [{**self.defaults, **record} for record in value]
        return super()._deserialize(value, attr, data, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        # What this app dumps: dicts with every key, of the declared types already.
        keys = self.keys
        if type(value) is list and all(
            type(item) is dict and item.keys() >= keys for item in value
        ):
            return [{key: item[key] for key in keys} for item in value]
        return super()._serialize(value, attr, obj, **kwargs)


def _has_every(item, keys: frozenset) -> bool:
    return type(item) is dict and item.keys() >= keys


def plain_text(value, max_length: int) -> bool:
    """A string core.api.Text loads unchanged: no NUL, no lone surrogate, not too long."""
    if type(value) is not str or len(value) > max_length or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
