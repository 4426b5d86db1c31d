"""Sign-in throttling counters (the rules are in auth/throttling.py)."""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import UtcDateTime, db


class SignInCounter(db.Model):
    """Recent failures of one client of one account, of one account, or of one address."""

    __tablename__ = "sign_in_counters"

    # "client:", "account:" or "unknown:" and a digest: no e-mail or address in clear.
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failure_times: Mapped[list[str]] = mapped_column(JSON, default=list)
    addresses: Mapped[list[str]] = mapped_column(JSON, default=list)  # account rows
    locks: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    minute: Mapped[str | None] = mapped_column(String(16))  # unknown rows: the minute counted
    minute_count: Mapped[int] = mapped_column(default=0)
