"""The administrator's audit page: who changed what, when, filtered."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from sqlalchemy import select

from auth import bp
from auth.models import Role, User
from auth.permissions import roles
from core.audit import AuditEntry
from core.urls import bounded
from extensions import db

PER_PAGE = 100


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


@bp.route("/audit")
@roles(Role.ADMIN)
def audit_log():
    """Every change and security event, newest first; by course, trainee, user, dates."""
    filters = {
        "course_id": bounded(request.args.get("course_id")),
        "trainee_id": bounded(request.args.get("trainee_id")),
        "user": (request.args.get("user") or "").strip().lower()[:254],
        "since": _day(request.args.get("since")),
        "until": _day(request.args.get("until")),
    }
    statement = select(AuditEntry).order_by(AuditEntry.id.desc())
    if filters["course_id"]:
        statement = statement.where(AuditEntry.course_id == filters["course_id"])
    if filters["trainee_id"]:
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
