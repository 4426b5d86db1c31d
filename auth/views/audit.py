"""The administrator's audit page: who changed what, when, filtered."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from sqlalchemy import Select, false, func, select

from auth import bp
from auth.permissions import roles
from auth.views.audit_words import what_was_done
from core.audit import AuditEntry, AuditHead
from core.audit_anchor import latest_checkpoint
from core.formats import lazy_sentence as _l
from core.urls import bounded, parse_day
from extensions import db
from models import Course, Trainee
from models.account import Role, User

PER_PAGE = 100


def _course_id(text: str | None) -> int | None:
    """A course by its number or by its code (AGH-2021-01)."""
    text = (text or "").strip()
    if text.isdigit():
        return bounded(text)
    if not text:
        return None
    return db.session.scalar(select(Course.id).where(Course.code == text)) or 0


def _trainee_id(text: str | None) -> int | None:
    """A trainee by number or by personal number (FHN-1016)."""
    text = (text or "").strip()
    if text.isdigit():
        return bounded(text)
    if not text:
        return None
    found = db.session.scalar(select(Trainee.id).where(Trainee.personal_number == text).limit(1))
    return found or 0


@bp.route("/audit")
@roles(Role.ADMIN)
def audit_log():
    """Every change and security event, newest first; by course, trainee, user, dates."""
    filters = {
        "course_id": _course_id(request.args.get("course_id")),
        "trainee_id": _trainee_id(request.args.get("trainee_id")),
        "user": (request.args.get("user") or "").strip().lower()[:254],
        "since": parse_day(request.args.get("since")),
        "until": parse_day(request.args.get("until")),
    }
    problems = _date_problems(filters)
    statement = select(AuditEntry)
    if problems:  # said next to the date; nothing is listed as if the date were not asked
        statement = statement.where(false())
    if filters["course_id"] is not None:
        statement = statement.where(AuditEntry.course_id == filters["course_id"])
    if filters["trainee_id"] is not None:
        statement = statement.where(AuditEntry.trainee_id == filters["trainee_id"])
    if filters["user"]:
        statement = statement.join(User, User.id == AuditEntry.user_id).where(
            User.email == filters["user"]
        )
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    # A date at either end of the calendar (0001-01-01, 9999-12-31) bounds nothing, and
    # its midnight in the local zone has no UTC time: it is shown, not applied.
    if filters["since"] and filters["since"] > date.min:
        statement = statement.where(
            AuditEntry.at >= datetime.combine(filters["since"], time(), zone)
        )
    if filters["until"] and filters["until"] < date.max:
        end = datetime.combine(filters["until"] + timedelta(days=1), time(), zone)
        statement = statement.where(AuditEntry.at < end)
    filtered = bool(problems) or any(value not in (None, "") for value in filters.values())
    page = _one_page(statement, filtered)
    users = {
        user.id: user.email
        for user in db.session.scalars(
            select(User).where(User.id.in_({e.user_id for e in page.entries if e.user_id}))
        )
    }
    return render_template(
        "auth/audit.html",
        page=page,
        filters=filters,
        problems=problems,
        users=users,
        what_was_done=what_was_done,
        checkpoint=latest_checkpoint(),
    ), 422 if problems else 200


def _date_problems(filters: dict) -> dict[str, list]:
    """A date that is not one, or a period that ends before it starts, in words."""
    problems = {}
    for name in ("since", "until"):
        typed = (request.args.get(name) or "").strip()
        if typed and filters[name] is None:
            problems[name] = [_l("%(text)s is not a date (YYYY-MM-DD).", text=typed[:20])]
    if filters["since"] and filters["until"] and filters["since"] > filters["until"]:
        problems["until"] = [_l("The end of the period must not be before its start.")]
    return problems


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    total: int
    newer: int | None  # show the entries after this one (the newer page), if any
    older: int | None  # show the entries before this one (the older page), if any


def _one_page(statement: Select, filtered: bool) -> AuditPage:
    """A hundred entries, newest first, from an entry number on (`before` or `after`).

    The trail grows by the million: counted by its head when unfiltered, and paged by
    entry number, not by OFFSET, so the thousandth page costs what the first does.
    """
    if filtered:
        total = db.session.scalar(statement.with_only_columns(func.count(AuditEntry.id)))
    else:
        total = db.session.scalar(select(AuditHead.entries)) or 0
    before = bounded(request.args.get("before"))
    after = bounded(request.args.get("after"))
    if after is not None:
        found = db.session.scalars(
            statement.where(AuditEntry.id > after).order_by(AuditEntry.id).limit(PER_PAGE + 1)
        ).all()
        entries = found[:PER_PAGE][::-1]
        older = statement.where(AuditEntry.id <= after).with_only_columns(AuditEntry.id)
        newer_exist = len(found) > PER_PAGE
        older_exist = db.session.scalar(older.limit(1)) is not None
    else:
        if before is not None:
            statement = statement.where(AuditEntry.id < before)
        found = db.session.scalars(
            statement.order_by(AuditEntry.id.desc()).limit(PER_PAGE + 1)
        ).all()
        entries = found[:PER_PAGE]
        newer_exist, older_exist = before is not None, len(found) > PER_PAGE
    return AuditPage(
        entries=entries,
        total=total,
        newer=entries[0].id if entries and newer_exist else None,
        older=entries[-1].id if entries and older_exist else None,
    )
