"""Sheet saves that may arrive twice or late: idempotency keys and the phone's outbox.

A phone on the training ground keeps a save in its outbox until the network comes
back, then sends it with the operation id it drew and the time the instructor
pressed save. API clients send an Idempotency-Key instead. Either way the key is
stored with the save, so a repeat (a retried request, a second tab, a crash
mid-send) answers what the first answered and writes nothing.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from core import audit, clock
from core.errors import Conflict, Invalid
from core.formats import lazy_sentence as _l
from courses.attendance import save_sheet
from extensions import db
from models import AttendanceOperation, Course
from models.account import User

# A save made on the phone counts from its own day if it reaches the server within
# this many days; later than that, the ordinary correction window applies.
UPLOAD_BOUND_DAYS = 7
# Phones' clocks drift a little; more than this ahead of the server is a wrong clock.
CLOCK_SKEW = timedelta(minutes=5)


def earlier_answer(user: User, key: str, source: str, course: Course, day: date) -> dict | None:
    """The answer given the first time this key was used, or None for a new key."""
    operation = _operation(user, key)
    if operation is None:
        return None
    if (operation.source, operation.course_id, operation.day) != (source, course.id, day):
        message = _l("This key was already used for another sheet: send a new one.")
        raise Invalid(message, {"key": [message]})
    return operation.answer


def _operation(user: User, key: str) -> AttendanceOperation | None:
    return db.session.scalar(
        select(AttendanceOperation).where(
            AttendanceOperation.user_id == user.id, AttendanceOperation.key == key
        )
    )


def _opening_seal() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="attendance-sheet-opened")


def opened_token(user: User, course: Course, day: date, version: int) -> str:
    """Sealed into the sheet page: when the server gave this account this day's sheet, at
    this version.

    The phone's clock is the instructor's to set, so it proves nothing by itself: a save
    cannot have been made before its sheet was opened, and this time the server vouches
    for. Without it a phone could claim any time within the bound and reopen a sheet
    that only an administrator may still correct. The version makes a seal good for one
    save, the one made on what was opened: the next version needs a page opened again.
    """
    sealed = [user.id, course.id, day.isoformat(), version, clock.now().isoformat()]
    return _opening_seal().dumps(sealed)


def opened_at(
    token: str | None, user: User, course: Course, day: date, version: int
) -> datetime | None:
    """The time sealed by `opened_token` for this account, sheet and version; None if the
    token is not such a seal."""
    try:
        *sealed, at = _opening_seal().loads(token or "")
        if sealed != [user.id, course.id, day.isoformat(), version]:
            return None
        return datetime.fromisoformat(at)
    except (BadSignature, ValueError, TypeError):
        return None


def device_day(day: date, device_time: datetime, opened: datetime | None = None) -> date | None:
    """The day the phone saved the sheet, if the correction window may count from it.

    A phone's time later than now, or before the sheet's day, is refused: such a save
    cannot have been made on the training ground that day. The window counts from the
    phone's time only when the page says when its sheet was opened (`opened_at`), and
    never from before that.
    """
    if device_time > clock.now() + CLOCK_SKEW:
        message = _l(
            "The phone's clock says this sheet was saved at %(time)s, which is later than "
            "now. Set the phone's date and time, then save the sheet again.",
            time=device_time,
        )
        raise Invalid(message, {"device_time": [message]})
    saved_on = device_time.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    if saved_on < day:
        message = _l(
            "The phone saved this sheet on %(saved)s, before its day (%(day)s). "
            "Check the phone's date, then save the sheet again.",
            saved=saved_on,
            day=day,
        )
        raise Invalid(message, {"device_time": [message]})
    if opened is None:
        return None  # nothing vouches for the phone's time: the window counts from now
    saved_on = max(device_time, opened).astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    if (clock.today() - saved_on.date()).days > UPLOAD_BOUND_DAYS:
        return None
    return saved_on.date()


def save_once(
    course: Course,
    day: date,
    records: list[dict],
    user: User,
    *,
    key: str,
    source: str,
    answer_of,
    version: int | None = None,
    reason: str | None = None,
    device_time: datetime | None = None,
    opened: datetime | None = None,
) -> tuple[dict, bool]:
    """Save the sheet unless this key was seen: (the answer, whether it is a repeat).

    `answer_of(course, day)` builds the answer; it is stored with the key. A refused
    save stores nothing (the edge rolls back), so fixing the cause and resending works.
    """
    earlier = earlier_answer(user, key, source, course, day)
    if earlier is not None:
        return earlier, True
    as_of = device_day(day, device_time, opened) if device_time is not None else None
    operation = AttendanceOperation(
        user_id=user.id,
        key=key,
        source=source,
        course_id=course.id,
        day=day,
        device_time=device_time,
    )
    db.session.add(operation)
    # The key goes in first: a second request with it waits here for this one to
    # finish, then fails on the unique key before it has written anything.
    db.session.flush()
    sheet = save_sheet(course, day, records, user, version, reason, as_of).sheet
    db.session.flush()
    if device_time is not None:
        audit.record(
            "offline_save",
            "attendance_sheets",
            sheet.id,
            after={
                "day": day.isoformat(),
                "operation_id": key,
                "device_time": device_time.isoformat(),
                "opened_at": opened.isoformat() if opened else None,
                "window_from": as_of.isoformat() if as_of else None,
                "version": sheet.version,
            },
            course_id=course.id,
        )
    operation.answer = answer_of(course, day)
    return operation.answer, False


def answer_after_race(user: User, key: str, source: str, course: Course, day: date) -> dict:
    """After the database refused a write: the first answer if a twin request won."""
    answer = earlier_answer(user, key, source, course, day)
    if answer is None:
        # Not a twin: another save of the sheet won the race, as with a stale version.
        raise Conflict(_l("This sheet changed after you opened it. Reload it and try again."))
    return answer
