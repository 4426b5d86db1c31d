"""The administrator's audit page: who changed what, when, filtered."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from sqlalchemy import select

from auth import bp
from auth.permissions import roles
from core.audit import AuditEntry
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
    statement = select(AuditEntry).order_by(AuditEntry.id.desc())
    if filters["course_id"] is not None:
        statement = statement.where(AuditEntry.course_id == filters["course_id"])
    if filters["trainee_id"] is not None:
        statement = statement.where(AuditEntry.trainee_id == filters["trainee_id"])
    if filters["user"]:
        statement = statement.join(User, User.id == AuditEntry.user_id).where(
            User.email == filters["user"]
        )
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    if filters["since"]:
        statement = statement.where(
            AuditEntry.at >= datetime.combine(filters["since"], time(), zone)
        )
    if filters["until"]:
        end = datetime.combine(filters["until"] + timedelta(days=1), time(), zone)
        statement = statement.where(AuditEntry.at < end)
    page = db.paginate(
        statement,
        page=max(bounded(request.args.get("page")) or 1, 1),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
    )
    users = {
        user.id: user.email
        for user in db.session.scalars(
            select(User).where(User.id.in_({e.user_id for e in page.items if e.user_id}))
        )
    }
    return render_template("auth/audit.html", page=page, filters=filters, users=users)
