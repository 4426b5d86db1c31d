"""The records that decide eligibility, checked against what the trail last set them to.

An intact chain proves the trail was not edited; it says nothing about a row edited
in the database behind the application's back. So `audit-verify` replays the trail
of attendance records, module results and certificates, and of what they are judged
by (the programme's threshold, attempts and modules with their pass marks, the course's
dates, holidays, cancelled days and plan, the enrolment's status), and compares every
current row with the values the trail last gave it. A pass mark lowered in the database
would otherwise pass a trainee without a word in the trail.
"""

from collections.abc import Iterator

from sqlalchemy import select

from core.audit import AuditEntry, _plain
from extensions import db
from models import (
    AttendanceRecord,
    AttendanceSheet,
    CancelledDay,
    Certificate,
    Course,
    CourseHoliday,
    Enrolment,
    Module,
    ModuleResult,
    PlanEntry,
    Programme,
)

TABLES = {
    "attendance_records": AttendanceRecord.__table__,
    "module_results": ModuleResult.__table__,
    "certificates": Certificate.__table__,
    "programmes": Programme.__table__,
    "modules": Module.__table__,
    "courses": Course.__table__,
    "course_holidays": CourseHoliday.__table__,
    "cancelled_days": CancelledDay.__table__,
    "plan_entries": PlanEntry.__table__,
    "enrolments": Enrolment.__table__,
}
TIED = tuple(TABLES)
# A row's counter of changes, moved by every update: not a value the trail keeps.
UNCOMPARED = {"version"}
# Attendance is written in bulk (courses/attendance.py): its creates name the
# trainee's enrolment and the day, not the row id; they are matched on those.
ATTENDANCE_FIELDS = ("status", "note")


def _trail(batch: int = 1000) -> Iterator[AuditEntry]:
    last_id = 0
    while True:
        entries = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity.in_(TIED), AuditEntry.id > last_id)
            .order_by(AuditEntry.id)
            .limit(batch)
        ).all()
        if not entries:
            return
        yield from entries
        last_id = entries[-1].id


def _rows(name: str) -> dict[int, dict]:
    table = TABLES[name]
    return {
        row["id"]: {key: _plain(value) for key, value in row.items()}
        for row in db.session.execute(select(table)).mappings()
    }


def _attendance_rows() -> tuple[dict[tuple, dict], dict[int, tuple], dict[int, str]]:
    records = AttendanceRecord.__table__
    sheets = AttendanceSheet.__table__
    rows = db.session.execute(
        select(
            records.c.id, records.c.enrolment_id, sheets.c.day, records.c.status, records.c.note
        ).join(sheets, sheets.c.id == records.c.sheet_id)
    ).all()
    by_key = {
        (r.enrolment_id, r.day.isoformat()): {"status": r.status, "note": r.note} for r in rows
    }
    key_of = {r.id: (r.enrolment_id, r.day.isoformat()) for r in rows}
    day_of = {
        sheet_id: day.isoformat()
        for sheet_id, day in db.session.execute(select(sheets.c.id, sheets.c.day))
    }
    return by_key, key_of, day_of


def verify_records() -> tuple[int, list[str]]:
    """(rows checked, what differs from the trail, in words; empty when all match)."""
    attendance, key_of, day_of = _attendance_rows()
    current = {name: _rows(name) for name in TIED if name != "attendance_records"}
    told: dict[str, dict] = {name: {} for name in TIED}
    for entry in _trail():
        if entry.entity == "attendance_records":
            _replay_attendance(entry, told["attendance_records"], key_of, day_of)
        else:
            _replay(entry, told[entry.entity])
    problems = _compare_attendance(attendance, told["attendance_records"])
    for name, rows in current.items():
        problems += _compare(name, rows, told[name])
    checked = len(attendance) + sum(len(rows) for rows in current.values())
    return checked, problems


def _replay(entry: AuditEntry, told: dict) -> None:
    if entry.action == "create":
        told[entry.entity_id] = dict(entry.after or {})
    elif entry.action == "update":
        told.setdefault(entry.entity_id, {}).update(entry.after or {})
    elif entry.action == "delete":
        told.pop(entry.entity_id, None)


def _replay_attendance(entry: AuditEntry, told: dict, key_of: dict, day_of: dict) -> None:
    values = entry.after if entry.action != "delete" else entry.before
    values = values or {}
    if entry.action == "update":
        key = key_of.get(entry.entity_id)
    else:
        day = values.get("day") or day_of.get(values.get("sheet_id"))
        key = (values.get("enrolment_id"), day)
    if key is None:  # a row since deleted
        return
    if entry.action == "delete":
        told.pop(key, None)
        return
    state = told.setdefault(key, {})
    state.update({name: values[name] for name in ATTENDANCE_FIELDS if name in values})


def _compare_attendance(rows: dict, told: dict) -> list[str]:
    problems = []
    for key, row in rows.items():
        enrolment_id, day = key
        state = told.get(key)
        if state is None:
            problems.append(
                f"attendance of enrolment {enrolment_id} on {day} is not in the audit trail"
            )
        elif any(state.get(name) != row[name] for name in state):
            problems.append(
                f"attendance of enrolment {enrolment_id} on {day} is {row['status']!r}, "
                f"the trail last set it to {state.get('status')!r}"
            )
    for enrolment_id, day in told.keys() - rows.keys():
        problems.append(f"attendance of enrolment {enrolment_id} on {day} was removed")
    return problems


def _compare(name: str, rows: dict, told: dict) -> list[str]:
    problems = []
    for row_id, row in rows.items():
        state = told.get(row_id)
        if state is None:
            problems.append(f"{name} row {row_id} is not in the audit trail")
            continue
        # Only the values the trail knows: a column added later has no history yet.
        changed = sorted(
            key for key in state if key in row and key not in UNCOMPARED and state[key] != row[key]
        )
        if changed:
            problems.append(f"{name} row {row_id} differs from the trail in {', '.join(changed)}")
    for row_id in told.keys() - rows.keys():
        problems.append(f"{name} row {row_id} was removed")
    return problems
