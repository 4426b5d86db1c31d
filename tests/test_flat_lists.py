"""A sheet's records taken without a schema per record load and dump exactly as with one.

core.flat_lists takes a well-formed record as it is and sends anything else through
marshmallow: here the quick way and marshmallow's own way must agree on every input,
the awkward ones above all (an attacker's body is exactly the input a shortcut misses).
"""

from datetime import date

import pytest
from marshmallow import Schema, ValidationError, fields

from courses.api.attendance import (
    RecordSchema,
    SheetChangeSchema,
    SheetRecordSchema,
    SheetSchema,
)


class PlainChangeSchema(SheetChangeSchema):
    """The same body, every record through the nested schema."""

    records = fields.List(fields.Nested(RecordSchema), required=True)


class PlainSheetSchema(SheetSchema):
    records = fields.List(fields.Nested(SheetRecordSchema), required=True)


def outcome(schema: Schema, body):
    try:
        return "loaded", schema.load(body)
    except ValidationError as error:
        return "refused", error.messages


GOOD = {"trainee_id": 7, "status": "present", "note": "on time"}

RECORDS = [
    [GOOD],
    [{"trainee_id": 7, "status": "late"}],  # no note: the default
    [{"trainee_id": 2**31 - 1, "status": "excused", "note": ""}],
    [{"trainee_id": 2**31, "status": "present"}],  # past the largest id
    [{"trainee_id": 0, "status": "present"}],
    [{"trainee_id": -3, "status": "present"}],
    [{"trainee_id": True, "status": "present"}],  # a boolean is not a number
    [{"trainee_id": 7.0, "status": "present"}],
    [{"trainee_id": "7", "status": "present"}],
    [{"trainee_id": None, "status": "present"}],
    [{"status": "present"}],
    [{"trainee_id": 7}],
    [{"trainee_id": 7, "status": "PRESENT"}],
    [{"trainee_id": 7, "status": "here"}],
    [{"trainee_id": 7, "status": None}],
    [{"trainee_id": 7, "status": ["present"]}],
    [{"trainee_id": 7, "status": "present", "note": None}],
    [{"trainee_id": 7, "status": "present", "note": 5}],
    [{"trainee_id": 7, "status": "present", "note": "x" * 500}],
    [{"trainee_id": 7, "status": "present", "note": "x" * 501}],
    [{"trainee_id": 7, "status": "present", "note": "nul \x00 inside"}],
    [{"trainee_id": 7, "status": "present", "note": "lone \ud800 surrogate"}],
    [{"trainee_id": 7, "status": "present", "note": "Ağır yaralı — ранен"}],
    [{"trainee_id": 7, "status": "present", "extra": 1}],  # an unknown key
    [GOOD, {"trainee_id": 8, "status": "absent", "note": 3}],  # one bad among good
    [GOOD, "not a record"],
    [GOOD, None],
    [GOOD, [7, "present"]],
    [],
]


@pytest.mark.parametrize("records", RECORDS)
def test_the_quick_way_loads_and_refuses_as_marshmallow_does(records):
    body = {"records": records, "version": 3}
    assert outcome(SheetChangeSchema(), body) == outcome(PlainChangeSchema(), body)


def test_well_formed_records_skip_the_nested_schema(monkeypatch):
    def nested_load(*_args, **_kwargs):
        raise AssertionError("a well-formed record went through the nested schema")

    monkeypatch.setattr(RecordSchema, "load", nested_load)
    records = [GOOD, {"trainee_id": 8, "status": "absent"}]
    loaded = SheetChangeSchema().load({"records": records})
    assert loaded["records"] == [GOOD, {"trainee_id": 8, "status": "absent", "note": ""}]


@pytest.mark.parametrize("records", [None, "present", 7, {"trainee_id": 7}])
def test_records_that_are_not_a_list_are_refused_as_before(records):
    body = {"records": records}
    quick, plain = outcome(SheetChangeSchema(), body), outcome(PlainChangeSchema(), body)
    assert quick == plain and quick[0] == "refused"


def test_a_sheet_is_answered_as_marshmallow_would_answer_it():
    sheet = {
        "course_id": 3,
        "date": date(2026, 12, 2),
        "version": 4,
        "recorded": True,
        "recorded_by": "Rəşad Quliyev",
        "recorded_at": None,
        "correction_reason": None,
        "records": [
            {
                "trainee_id": 7,
                "enrolment_id": 70,
                "full_name": "Əliyev Kamran",
                "full_name_latin": "Aliyev Kamran",
                "status": None,
                "note": "",
            },
            {
                "trainee_id": 8,
                "enrolment_id": 80,
                "full_name": "Иванов Пётр",
                "full_name_latin": "Ivanov Pyotr",
                "status": "late",
                "note": "bus",
            },
        ],
    }
    assert SheetSchema().dump(sheet) == PlainSheetSchema().dump(sheet)
    missing_a_key = {**sheet, "records": [{"trainee_id": 9, "status": "absent"}]}
    assert SheetSchema().dump(missing_a_key) == PlainSheetSchema().dump(missing_a_key)
