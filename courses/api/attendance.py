"""API: a course's attendance sheet for one training day."""

from datetime import date

from flask import jsonify
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from auth.permissions import roles
from auth.policy import require_view
from core.api import MAX_ID, Blueprint, Id, Text
from core.flat_lists import FlatList, plain_text
from courses.attendance import STATUSES, SavedSheet, check_day, on_sheet, save_sheet, sheet_of
from courses.offline import answer_after_race, save_once
from courses.presenters import one_course_or_404
from extensions import db
from models import Course
from models.account import Role

attendance = Blueprint(
    "Attendance",
    __name__,
    url_prefix="/api/v1/courses",
    description="Daily attendance: one sheet per course and training day.",
)


NOTE_LENGTH = 500


class RecordSchema(Schema):
    trainee_id = Id(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    note = Text(load_default="", validate=validate.Length(max=NOTE_LENGTH))


# No course holds more trainees (courses.schemas: capacity); a longer list is refused
# before a single record is parsed.
MAX_RECORDS = 10_000


RECORD_KEYS = frozenset(RecordSchema._declared_fields)


def well_formed_record(record) -> bool:
    """A record RecordSchema loads as it is (see core.flat_lists)."""
    return (
        type(record) is dict
        and record.keys() <= RECORD_KEYS
        and type(record.get("trainee_id")) is int
        and 1 <= record["trainee_id"] <= MAX_ID
        and record.get("status") in STATUSES
        and ("note" not in record or plain_text(record["note"], NOTE_LENGTH))
    )


class SheetChangeSchema(Schema):
    records = FlatList(
        RecordSchema,
        well_formed_record,
        defaults={"note": ""},
        required=True,
        metadata={"description": f"At most the course's enrolments (and {MAX_RECORDS})."},
    )
    version = fields.Integer(
        strict=True,
        metadata={"description": "The sheet's version when read (0: not recorded yet)."},
    )
    reason = Text(
        validate=validate.Length(max=2000),
        metadata={"description": "Required to change a sheet past the correction window."},
    )

    @pre_load
    def refuse_oversized(self, data, **_kwargs):
        records = data.get("records") if isinstance(data, dict) else None
        if isinstance(records, list) and len(records) > MAX_RECORDS:
            message = _("A sheet holds at most %(num)d records.", num=MAX_RECORDS)
            raise ValidationError(message, field_name="records")
        return data


class IdempotencySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # every other header of the request

    key = Text(
        data_key="Idempotency-Key",
        validate=validate.Length(min=1, max=64),
        metadata={
            "description": "Any string of up to 64 characters, new for each save: a request "
            "repeated with the same key answers what the first answered and writes nothing."
        },
    )


REPLAYED_HEADER = {
    "Idempotent-Replayed": {
        "description": "With an Idempotency-Key: `true` when this is the stored answer of an "
        "earlier request with the same key (nothing was written), `false` for a new save.",
        "schema": {"type": "string", "enum": ["true", "false"]},
    }
}


class SheetRecordSchema(Schema):
    trainee_id = fields.Integer(required=True)
    enrolment_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    full_name_latin = fields.String(required=True)
    status = fields.String(allow_none=True, required=True)
    note = fields.String(required=True)


class SheetSchema(Schema):
    course_id = fields.Integer(required=True)
    date = fields.Date(required=True)
    version = fields.Integer(required=True)
    recorded = fields.Boolean(required=True)
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.AwareDateTime(allow_none=True)
    correction_reason = fields.String(allow_none=True)
    records = FlatList(SheetRecordSchema, required=True)


def sheet_document(course: Course, day: date, saved: SavedSheet | None = None) -> dict:
    """The sheet as the API shows it; `saved`: the sheet just saved, not read again."""
    if saved is None:
        (sheet, records), lines = sheet_of(course, day), on_sheet(course, day)
        marks = {enrolment_id: (row.status, row.note) for enrolment_id, row in records.items()}
    else:
        sheet, lines, marks = saved.sheet, saved.lines, saved.marks
    return {
        "course_id": course.id,
        "date": day,
        "version": sheet.version if sheet else 0,
        "recorded": sheet is not None,
        "recorded_by": sheet.recorded_by.full_name if sheet else None,
        "recorded_at": sheet.recorded_at if sheet else None,
        "correction_reason": sheet.correction_reason if sheet else None,
        "records": [
            {
                "trainee_id": line.trainee_id,
                "enrolment_id": line.enrolment_id,
                "full_name": line.full_name,
                "full_name_latin": line.full_name_latin,
                "status": marks[line.enrolment_id][0] if line.enrolment_id in marks else None,
                "note": marks[line.enrolment_id][1] if line.enrolment_id in marks else "",
            }
            for line in lines
        ],
    }


@attendance.route("/<id:course_id>/attendance/<isodate:day>")
class AttendanceSheetResource(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @attendance.response(200, SheetSchema)
    @attendance.errors(401, 403, 404, 422)
    def get(self, course_id, day):
        """The sheet: each trainee enrolled that day, with the status recorded (or null)."""
        course = one_course_or_404(course_id)
        require_view(current_user, course)
        check_day(course, day)
        return sheet_document(course, day)

    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @attendance.arguments(IdempotencySchema, location="headers", as_kwargs=True)
    @attendance.arguments(SheetChangeSchema)
    @attendance.response(200, SheetSchema, headers=REPLAYED_HEADER)
    @attendance.errors(400, 401, 403, 404, 409, 422)
    def put(self, body, course_id, day, key=None):
        """Save records of the day together: all of them, or none with a message for each."""
        course = one_course_or_404(course_id)
        require_view(current_user, course)
        change = (course, day, body["records"], current_user)
        if key is None:
            saved = save_sheet(*change, body.get("version"), body.get("reason"))
            # The answer is made inside the transaction: if making it fails, the 500 has
            # saved nothing, and a client that retries does not save twice.
            answer = sheet_document(course, day, saved)
            db.session.commit()
            return answer
        try:
            answer, repeated = save_once(
                *change,
                key=key,
                source="api",
                answer_of=lambda c, d: SheetSchema().dump(sheet_document(c, d)),
                version=body.get("version"),
                reason=body.get("reason"),
            )
            db.session.commit()
        except (IntegrityError, StaleDataError):
            db.session.rollback()  # a twin request with the same key saved first
            answer, repeated = answer_after_race(current_user, key, "api", course, day), True
        response = jsonify(answer)
        response.headers["Idempotent-Replayed"] = "true" if repeated else "false"
        return response
