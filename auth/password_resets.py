"""One-time links with which a user sets a new password (flush, never commit).

An administrator makes the link and hands it over (it is shown once, never mailed:
the training grounds may have no mail). Only its SHA-256 is stored; it works once,
for 24 hours, and a newer link for the same account replaces it.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from auth.accounts import end_sessions, hash_password, password_problem
from core import clock
from core.errors import Invalid
from extensions import db
from models import PasswordReset, User

LIFETIME = timedelta(hours=24)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_reset_link(user: User, by: User) -> tuple[str, datetime]:
    """A new one-time token for `user` (older ones stop working) and when it expires."""
    db.session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    token = secrets.token_urlsafe(32)
    expires_at = clock.now() + LIFETIME
    db.session.add(
        PasswordReset(
            user_id=user.id, token_hash=_digest(token), created_by_id=by.id, expires_at=expires_at
        )
    )
    db.session.flush()
    return token, expires_at


def reset_for(token: str) -> PasswordReset | None:
    """The link's record while it still works: unused, unexpired, for an active account."""
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == _digest(token[:200]))
    )
    if reset is None or reset.expires_at < clock.now() or not reset.user.active:
        return None
    return reset


def use_reset_link(token: str, password: str) -> User:
    """Set the new password; the link, every session and every token of the account end."""
    reset = reset_for(token)
    if reset is None:
        raise Invalid(_l("This link is not valid any more: ask an administrator for a new one."))
    if problem := password_problem(password):
        raise Invalid(problem, {"password": [problem]})
    user = reset.user
    user.password_hash = hash_password(password)
    end_sessions(user)
    db.session.delete(reset)  # used once
    db.session.flush()
    return user
