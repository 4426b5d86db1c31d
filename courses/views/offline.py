"""Attendance with no network: sheets kept on the phone, and the outbox sent later.

The phone keeps copies of the sheets an instructor will need (today's and the next
few training days'), saves into an outbox in IndexedDB while offline, and sends each
entry here once the network is back. Online, the sheet itself is sent here too, after
it went into the outbox, so a network that drops mid-send loses nothing. The page
sends it with the session and the CSRF token in the X-CSRFToken header; JSON answers.
"""

from datetime import date

from flask import flash, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from marshmallow import ValidationError, fields, validate
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from auth.permissions import roles, signed_in
from auth.policy import may_save_offline, require
from core import clock
from core.api import Text
from core.dates import RANGE_MESSAGE, in_range
from core.errors import (
    CODE_BY_STATUS,
    DEFAULT_MESSAGES,
    RuleBroken,
    flatten_messages,
    json_error,
)
from core.formats import medium_date
from courses import bp
from courses.api.attendance import SheetChangeSchema, SheetSchema, sheet_document
from courses.attendance import check_day, on_sheet, sheet_of
from courses.offline import answer_after_race, opened_at, opened_token, save_once
from courses.plans import course_training_days
from courses.presenters import one_course_or_404
from courses.views.attendance import SheetForm, sheet_page, stored_sheet
from extensions import db
from models import Course
from models.account import Role

# Sheets kept on the phone: today's and those of the next training days, so a few
# days without network at the range still find their sheets ready.
KEPT_TRAINING_DAYS = 4


def _in_range(moment) -> None:
    if not in_range(moment.date()):
        raise ValidationError(str(RANGE_MESSAGE))


class OutboxEntrySchema(SheetChangeSchema):
    """A sheet as the API's PUT takes it (records checked the same way, and a list longer
    than any course refused before it is read), with what only a phone sends."""

    operation_id = Text(required=True, validate=validate.Length(min=1, max=64))
    version = fields.Integer(required=True, strict=True)
    # When the phone saved; absent when the sheet is sent the moment it is saved. Years
    # far off (0001, 9999) are refused here: moved to Baku's time they do not exist.
    device_time = fields.AwareDateTime(load_default=None, validate=_in_range)
    # The sheet page's seal of when it was opened (courses.offline.opened_token).
    opened = Text(load_default=None, validate=validate.Length(max=500))
    # Sent from the sheet itself, not from the outbox: the next page says it is saved.
    announce = fields.Boolean(load_default=False)


def kept_days(course: Course) -> list[date]:
    today = clock.today()
    return [day for day in course_training_days(course) if day >= today][:KEPT_TRAINING_DAYS]


@bp.app_template_global()
def offline_sheets(courses) -> list[dict]:
    """For the instructor's home: the sheets the phone should keep, and where to fetch them."""
    return [
        {
            "url": url_for("courses.attendance_sheet", course_id=course.id, day=day),
            "copy": url_for("courses.offline_sheet_copy", course_id=course.id, day=day),
        }
        for course in courses
        for day in kept_days(course)
    ]


def _loaded(course_id: int) -> Course:
    course = one_course_or_404(course_id)
    require(may_save_offline(current_user, course))
    return course


@bp.route("/courses/<id:course_id>/attendance/<isodate:day>/offline-copy")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def offline_sheet_copy(course_id: int, day: date):
    """The day's sheet as the phone keeps it, also for the next training days."""
    course = _loaded(course_id)
    if day not in kept_days(course):
        try:
            check_day(course, day)
        except RuleBroken as error:
            return render_template("errors/error.html", status=404, message=error.message), 404
    sheet, recorded = stored_sheet(course, day)
    form = SheetForm(version=sheet.version if sheet else 0)
    return sheet_page(course, day, sheet, on_sheet(course, day), recorded, {}, form)


@bp.route("/courses/<id:course_id>/attendance/<isodate:day>/outbox", methods=["POST"])
@roles(Role.ADMIN, Role.INSTRUCTOR)
def send_outbox_entry(course_id: int, day: date):
    """One sheet save from a phone's outbox: saved once, however often it is sent."""
    try:
        course = _loaded(course_id)
    except HTTPException as error:  # the outbox reads JSON: say why the entry cannot go
        status = error.code or 400
        return json_error(status, CODE_BY_STATUS[status], DEFAULT_MESSAGES[status])
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested too deep to read: not an entry the page could send
        return json_error(400, "bad_request", _("The entry is not valid JSON."))
    try:
        entry = OutboxEntrySchema().load(body or {})
    except ValidationError as error:
        fields_ = flatten_messages(error.messages)
        return json_error(422, "validation_error", _("Some values are not valid."), fields_)
    key = entry["operation_id"]
    try:
        answer, repeated = save_once(
            course,
            day,
            entry["records"],
            current_user,
            key=key,
            source="phone",
            answer_of=lambda c, d: {"version": sheet_of(c, d)[0].version, "date": d.isoformat()},
            version=entry["version"],
            reason=entry.get("reason"),
            device_time=entry["device_time"],
            opened=opened_at(entry["opened"], current_user, course, day, entry["version"]),
        )
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()  # the same entry sent from another tab got there first
        try:
            answer, repeated = answer_after_race(current_user, key, "phone", course, day), True
        except RuleBroken as error:
            return _refusal(error, course, day)
    except RuleBroken as error:
        db.session.rollback()
        return _refusal(error, course, day)
    if entry["announce"]:
        flash(_("Attendance for %(day)s is saved.", day=medium_date(day)), "success")
    grid = url_for("courses.attendance_grid_page", course_id=course.id)
    return jsonify(
        {**answer, "operation_id": key, "repeated": repeated, "next": f"{grid}#day-{day}"}
    )


def _refusal(error: RuleBroken, course: Course, day: date):
    """Nothing saved; on a conflict, the sheet as the server has it, to set side by side."""
    extra = {}
    if error.status == 409:
        extra["server"] = server = SheetSchema().dump(sheet_document(course, day))
        # "Saved by you" rather than one's own name: a save from another tab or device.
        sheet = sheet_of(course, day)[0]
        server["saved_by_you"] = sheet is not None and sheet.recorded_by_id == current_user.id
        # The instructor now sees this version: a choice made on it was opened now.
        extra["opened"] = opened_token(current_user, course, day, server["version"])
    return json_error(error.status, error.code, error.message, error.fields, **extra)


@bp.route("/offline/account")
@signed_in
def offline_account():
    """Who is signed in on this browser now: the outbox sends only that account's entries."""
    return jsonify({"user_id": current_user.id, "csrf_token": generate_csrf()})
