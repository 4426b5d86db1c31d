"""Accounts and API tokens."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.organisation import Organisation


class Role(StrEnum):
    ADMIN = "admin"
    INSTRUCTOR = "instructor"
    TRAINEE = "trainee"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'instructor', 'trainee')", name="role"),
        # E-mails are stored lower-cased, so this is case-insensitive uniqueness.
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # The name and e-mail folded as trainees' are (auth/accounts.py keeps it up to date).
    search_text: Mapped[str] = mapped_column(String(600), default="", server_default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    # The language of the interface for this account (az, ru, en); None: as the browser asks.
    language: Mapped[str | None] = mapped_column(String(2), default=None)
    # The trainee record this login belongs to (role trainee only; one login each).
    trainee_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainees.id"), default=None, unique=True
    )
    # The ministry an instructor or administrator works for (shown beside their name).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), default=None, index=True
    )
    # What prints under the signature line when this account signs for its organisation.
    position: Mapped[str] = mapped_column(String(200), default="", server_default="")
    rank: Mapped[str] = mapped_column(String(80), default="", server_default="")
    # May approve certificates on behalf of its organisation (needs an organisation).
    approver: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation | None] = relationship()
    tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    sessions: Mapped[list["UserSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}

    # The browser session this request runs in (set by auth.sessions, never stored).
    session_key = None

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the cookie: the session's key, never the user id."""
        return self.session_key

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is kept, so a leaked table grants nothing."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(db.Model):
    """One signed-in browser. The cookie holds its key; only a hash is stored.

    Signing out deletes this row, so a copied cookie is dead afterwards; a password
    change or deactivation deletes every row of the account.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Moved on at most once a minute; a session idle for 30 minutes is over.
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="sessions")
