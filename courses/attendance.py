"""Attendance: who is on a day's sheet, saving a sheet whole, and the attendance rate."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from flask import current_app
from flask_babel import lazy_ngettext as _ln
from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import flag_modified

from auth.policy import correction_window_closed, may_correct_sheet
from core import audit, clock
from core.database import lock_row, plain_rows, prebuilt, write_lock_first
from core.errors import Conflict, Forbidden, Invalid
from core.formats import lazy_sentence as _l
from core.name_order import sort_key
from core.text import one_line
from courses.attendance_rate import Tally
from courses.held_certificates import refuse_unearning
from courses.plans import course_training_days
from extensions import db
from models import (
    AttendanceRecord,
    AttendanceSheet,
    AttendanceStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Organisation,
    Trainee,
)
from models.account import User

STATUSES = [status.value for status in AttendanceStatus]
COUNTED = {AttendanceStatus.PRESENT, AttendanceStatus.LATE}  # what the rate counts as there


def check_day(course: Course, day: date) -> None:
    """Attendance is taken only on a training day of the course, never for a future date."""
    if day not in course_training_days(course):
        if not course.start_date <= day <= course.end_date:
            reason = _l(
                "%(day)s is outside the course (%(start)s to %(end)s).",
                day=day,
                start=course.start_date,
                end=course.end_date,
            )
        elif day in {holiday.day for holiday in course.holidays}:
            reason = _l("%(day)s is a holiday of this course.", day=day)
        elif cancelled := next((c for c in course.cancelled_days if c.day == day), None):
            # With the reason given when it was cancelled: an instructor whose phone saved
            # the day's sheet learns why it is refused.
            reason = _l(
                "%(day)s was cancelled (%(reason)s): no training that day.",
                day=day,
                reason=cancelled.reason,
            )
        else:
            reason = _l("%(day)s is a rest day of this course.", day=day)
        raise Invalid(reason, {"date": [reason]})
    if day > clock.today():
        reason = _l("%(day)s is in the future: attendance is taken on the day.", day=day)
        raise Invalid(reason, {"date": [reason]})


@dataclass(frozen=True, slots=True)
class SheetLine:
    """A trainee on a day's sheet: what the sheet, its print and its API answer show."""

    enrolment_id: int
    trainee_id: int
    full_name: str
    full_name_latin: str
    organisation: str  # the organisation's code


def on_sheet(course: Course, day: date) -> list[SheetLine]:
    """Trainees enrolled on that day; one withdrawn earlier is on no later sheet."""
    return _enrolled(course, day)[0]


def _course_trainees(course_id, *columns):
    """Columns of a course's enrolments, their trainees and organisations, as one select."""
    return (
        select(*columns)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .join(Organisation, Organisation.id == Trainee.organisation_id)
        .where(Enrolment.course_id == course_id)
    )


# The sheet's two statements, kept (core.database.prebuilt): the busiest page runs them.
@prebuilt
def _enrolled_statement():
    return _course_trainees(
        bindparam("course_id"),
        Enrolment.id,
        Enrolment.trainee_id,
        Trainee.full_name,
        Trainee.full_name_latin,
        Organisation.code,
        Enrolment.status,
        Enrolment.withdrawn_on,
    )


@prebuilt
def _sheet_statement(to_change: bool):
    statement = (
        select(
            AttendanceSheet,
            AttendanceRecord.id,
            AttendanceRecord.enrolment_id,
            AttendanceRecord.status,
            AttendanceRecord.note,
        )
        .outerjoin(AttendanceRecord, AttendanceRecord.sheet_id == AttendanceSheet.id)
        .where(
            AttendanceSheet.course_id == bindparam("course_id"),
            AttendanceSheet.day == bindparam("day"),
        )
    )
    if to_change:
        # Who saved it last is read only to word a conflict: one row of 60 then.
        return statement.with_for_update(of=AttendanceSheet)
    return statement.options(joinedload(AttendanceSheet.recorded_by))


def _enrolled(course: Course, day: date) -> tuple[list[SheetLine], int]:
    """(the day's sheet lines, how many enrolments the course has): one query.

    Plain rows, not records: a sheet shows 60 names on every request of the busiest
    page, and building 180 ORM objects for them cost more than the rest of the page.
    """
    rows = plain_rows(_enrolled_statement(), {"course_id": course.id})
    lines = [
        SheetLine(*row[:5])
        for row in rows
        if row.status != EnrolmentStatus.WITHDRAWN or row.withdrawn_on >= day
    ]
    # Sorted here, not by the database: PostgreSQL's collation would order names
    # differently from SQLite's and from every other list of the course.
    lines.sort(key=lambda line: (sort_key(line.full_name_latin), line.enrolment_id))
    return lines, len(rows)


@dataclass
class SavedSheet:
    """A sheet just saved, with what its answer shows: no second read of it."""

    sheet: AttendanceSheet
    lines: list[SheetLine]
    marks: dict[int, tuple[str, str]]  # enrolment id -> (status, note)


def sheet_of(
    course: Course, day: date, to_change: bool = False
) -> tuple[AttendanceSheet | None, dict[int, Row]]:
    """The day's sheet with who saved it, and its records by enrolment: one statement.

    The records come as plain rows (`id`, `enrolment_id`, `status`, `note`): every
    reader only reads them, and a save changes them with bulk statements, so 60 mapped
    objects per request (the busiest page) would be built for nothing.
    `to_change`: locked until the transaction ends, so that a second save of the same
    sheet waits for the first and reads what it saved (not a stale version).
    """
    if to_change:
        write_lock_first()
    found = db.session.execute(_sheet_statement(to_change), {"course_id": course.id, "day": day})
    rows = found.all()
    if not rows:
        return None, {}
    return rows[0][0], {row.enrolment_id: row for row in rows if row.id is not None}


def _refuse_oversized(records: list[dict], enrolled: int) -> None:
    """More records than the course has enrolments: refused before any work.

    One message, not one per record: 200,000 unknown trainees made a 19 MB answer.
    """
    if len(records) > enrolled:
        message = _ln(
            "The sheet lists %(records)d records, but the course has only %(num)d enrolment.",
            "The sheet lists %(records)d records, but the course has only %(num)d enrolments.",
            enrolled,
            records=len(records),
        )
        raise Invalid(message, {"records": [message]})


def _record_problems(records: list[dict], by_trainee: dict, day: date) -> dict[str, list]:
    """A message for each record that names no trainee of the sheet, or a bad status."""
    problems: dict[str, list] = {}
    seen: set[int] = set()
    for index, record in enumerate(records):
        trainee_id = record["trainee_id"]
        if trainee_id not in by_trainee:
            problems[f"records.{index}.trainee_id"] = [
                _l(
                    "Trainee %(id)s is not enrolled on this course on %(day)s.",
                    id=trainee_id,
                    day=day,
                )
            ]
        elif trainee_id in seen:
            problems[f"records.{index}.trainee_id"] = [
                _l("Trainee %(id)s appears twice on the sheet.", id=trainee_id)
            ]
        seen.add(trainee_id)
        if record["status"] not in STATUSES:
            problems[f"records.{index}.status"] = [_l("Choose present, late, absent or excused.")]
    return problems


def save_sheet(
    course: Course,
    day: date,
    records: list[dict],
    user: User,
    version: int | None = None,
    reason: str | None = None,
    as_of: date | None = None,
) -> AttendanceSheet:
    """Save a day's records together, or refuse them all with a message per record.

    `records` are {"trainee_id", "status", "note"}; trainees left out keep what they
    had. `version` is the sheet's version when it was opened (0: it was empty); if
    someone saved it since, nothing is saved. `as_of`: see
    auth.policy.correction_window_closed.
    """
    if course.status == CourseStatus.CANCELLED:
        raise Conflict(_l("The course is cancelled: no attendance is taken."))
    check_day(course, day)
    # Who is on the sheet, and what is wrong with the records, do not depend on the
    # sheet: found before it is locked, so that a save holds the lock (on SQLite the
    # database's one write lock) for as short a time as it can. Said below, in order.
    lines, enrolled = _enrolled(course, day)
    _refuse_oversized(records, enrolled)
    by_trainee = {line.trainee_id: line for line in lines}
    problems = _record_problems(records, by_trainee, day)
    sheet, existing = sheet_of(course, day, to_change=True)
    # Two first saves of the day: the second waits for the first, then finds its sheet.
    if sheet is None and lock_row(Course, course.id):
        sheet, existing = sheet_of(course, day, to_change=True)
    current_version = sheet.version if sheet else 0
    if version is not None and version != current_version:
        if sheet is None:
            raise Conflict(_l("This sheet changed after you opened it. Reload it and try again."))
        if sheet.recorded_by_id == user.id:  # their own later save: a tab, a device, the outbox
            raise Conflict(
                _l(
                    "You saved this sheet again after this copy of it was opened. Nothing "
                    "was saved: reload it to see your newer record, then correct it."
                )
            )
        raise Conflict(
            _l(
                "%(name)s saved this sheet after you opened it. Nothing was saved: "
                "reload it to see their record, then correct it.",
                name=sheet.recorded_by.full_name,
            )
        )
    reason = one_line(reason)
    allowed = may_correct_sheet(user, course, day, as_of)
    if not allowed:
        raise Forbidden(allowed.reason)
    if correction_window_closed(day, as_of) and not reason:
        message = _l(
            "Say why a sheet older than %(n)d days is changed.",
            n=current_app.config["ATTENDANCE_CORRECTION_DAYS"],
        )
        raise Invalid(message, {"reason": [message]})
    if not records:
        message = _l("The sheet has no record: mark at least one trainee.")
        raise Invalid(message, {"records": [message]})
    if problems:
        raise Invalid(_l("Nothing was saved: some records are not right."), problems)
    refuse_unearning(course, _status_changes(records, by_trainee, existing), lines)
    now = clock.now()
    before = {record.id: (record.status, record.note) for record in existing.values()}
    if sheet is None:
        sheet = AttendanceSheet(course=course, day=day, recorded_by=user, recorded_at=now)
        db.session.add(sheet)
    else:
        same = sheet.recorded_by_id == user.id and sheet.recorded_at == now
        sheet.recorded_by = user
        sheet.recorded_at = now
        if same:
            # The same person within the same clock tick: no column differs, but every save
            # makes a new version, so that a client holding the old one is refused, never
            # overwrites. (Only then: flag_modified drops the value before from the trail.)
            flag_modified(sheet, "recorded_at")
    if reason:
        sheet.correction_reason = reason[:2000]
    db.session.flush()
    inserts, updates = [], []
    # Read once: the signed-in user comes as Flask-Login's proxy, which finds the user
    # again on each read, and this loop runs once per trainee.
    user_id = user.id
    for record in records:
        line = by_trainee[record["trainee_id"]]
        values = {
            "status": record["status"],
            "note": one_line(note, 500) if (note := record.get("note")) else "",
            "recorded_by_id": user_id,
            "recorded_at": now,
        }
        old = existing.get(line.enrolment_id)
        if old is None:
            inserts.append({"sheet_id": sheet.id, "enrolment_id": line.enrolment_id, **values})
        elif (old.status, old.note) != (values["status"], values["note"]):
            updates.append({"id": old.id, **values})
    # One statement each, however many trainees the course has.
    if inserts:
        db.session.execute(insert(AttendanceRecord), inserts)
    if updates:
        db.session.execute(update(AttendanceRecord), updates)
    _audit_records(course, day, inserts, updates, before, existing, by_trainee)
    # The bulk statements went past the session: any copy of the records it has is stale.
    db.session.expire(sheet, ["records"])
    marks = {enrolment_id: before[old.id] for enrolment_id, old in existing.items()}
    enrolment_of = {record.id: enrolment_id for enrolment_id, record in existing.items()}
    for row in inserts:
        marks[row["enrolment_id"]] = (row["status"], row["note"])
    for row in updates:
        marks[enrolment_of[row["id"]]] = (row["status"], row["note"])
    return SavedSheet(sheet, lines, marks)


def _status_changes(records: list[dict], by_trainee: dict, existing: dict) -> dict:
    """{enrolment id: (index of its record, status before or None, status after)} of the
    records whose status this save changes."""
    changes = {}
    for index, record in enumerate(records):
        enrolment_id = by_trainee[record["trainee_id"]].enrolment_id
        old = existing.get(enrolment_id)
        if old is None or old.status != record["status"]:
            changes[enrolment_id] = (index, old.status if old else None, record["status"])
    return changes


def _audit_records(course, day, inserts, updates, before, existing, by_trainee) -> None:
    """Bulk statements pass by the session hook: write their trail entries here."""
    trainee_of = {line.enrolment_id: line.trainee_id for line in by_trainee.values()}
    old_by_id = {record.id: record for record in existing.values()}
    changes = []
    for row in inserts:
        changes.append(
            (
                "create",
                "attendance_records",
                None,
                None,
                {
                    "day": day.isoformat(),
                    "enrolment_id": row["enrolment_id"],
                    "status": row["status"],
                    "note": row["note"],
                },
                course.id,
                trainee_of[row["enrolment_id"]],
            )
        )
    for row in updates:
        old = old_by_id[row["id"]]
        old_status, old_note = before[row["id"]]
        changes.append(
            (
                "update",
                "attendance_records",
                row["id"],
                {"status": old_status, "note": old_note},
                {"status": row["status"], "note": row["note"]},
                course.id,
                trainee_of[old.enrolment_id],
            )
        )
    if changes:
        audit.record_many(changes)


@dataclass(frozen=True, slots=True)
class GridLine:
    """A trainee's row of the grid and of its exports."""

    enrolment_id: int
    status: str  # the enrolment's: a withdrawn trainee's row is greyed
    full_name: str
    full_name_latin: str
    personal_number: str
    organisation: str  # the organisation's code


@dataclass
class Grid:
    """Trainees x training days of a course, with each trainee's tally."""

    lines: list[GridLine]
    days: list[date]
    marks: dict[int, list[str | None]]  # by enrolment: the status of each of `days`, or None
    tallies: dict[int, Tally]
    recorded_days: set[date]
    unrecorded_days: list[date]
    present_or_late: dict[date, int]  # each recorded day's trainees marked present or late


def attendance_grid(course: Course) -> Grid:
    """Everything the grid and the exports show, in a fixed number of queries.

    Plain rows: 60 trainees and 2,280 records as mapped objects were half the page. The
    records are counted by C loops (Counter over column pairs), and each is placed once.
    """
    lines = [
        GridLine(*row)
        for row in plain_rows(
            _course_trainees(
                course.id,
                Enrolment.id,
                Enrolment.status,
                Trainee.full_name,
                Trainee.full_name_latin,
                Trainee.personal_number,
                Organisation.code,
            )
        )
    ]
    lines.sort(key=lambda line: (sort_key(line.full_name_latin), line.enrolment_id))
    day_of = dict(
        plain_rows(
            select(AttendanceSheet.id, AttendanceSheet.day).where(
                AttendanceSheet.course_id == course.id
            )
        )
    )
    # By sheet, not by day: 2,280 records need not each have a date read from text.
    rows = plain_rows(
        select(AttendanceRecord.enrolment_id, AttendanceRecord.sheet_id, AttendanceRecord.status)
        .join(AttendanceSheet, AttendanceSheet.id == AttendanceRecord.sheet_id)
        .where(AttendanceSheet.course_id == course.id)
    )
    days = course_training_days(course)
    place_of_day = {day: place for place, day in enumerate(days)}
    # A sheet of a day that is not a training day would have no column; its records
    # would still count in the tallies, as courses.attendance_rate counts them.
    place_of_sheet = {sheet: place_of_day.get(day) for sheet, day in day_of.items()}
    marks = {line.enrolment_id: [None] * len(days) for line in lines}
    for enrolment_id, sheet, status in rows:
        place = place_of_sheet[sheet]
        if place is not None and enrolment_id in marks:
            marks[enrolment_id][place] = status
    # Each trainee's tally from the same records (courses.attendance_rate counts these).
    counts: dict[int, Counter] = defaultdict(Counter)
    for (enrolment_id, status), number in Counter(map(itemgetter(0, 2), rows)).items():
        counts[enrolment_id][status] = number
    by_day = Counter()
    for (sheet, status), number in Counter(map(itemgetter(1, 2), rows)).items():
        if status in COUNTED:
            by_day[day_of[sheet]] += number
    recorded_days = set(day_of.values())
    last = min(clock.today(), course.end_date)
    return Grid(
        lines=lines,
        days=days,
        marks=marks,
        tallies={enrolment_id: Tally(counted) for enrolment_id, counted in counts.items()},
        recorded_days=recorded_days,
        unrecorded_days=[day for day in days if day <= last and day not in recorded_days],
        present_or_late={day: by_day[day] for day in recorded_days},
    )


def has_attendance(course: Course) -> bool:
    return (
        db.session.scalar(
            select(AttendanceSheet.id).where(AttendanceSheet.course_id == course.id).limit(1)
        )
        is not None
    )
