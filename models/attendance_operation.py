"""A sheet save that arrived with an operation id: kept so a repeat writes nothing."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from extensions import UtcDateTime, db, utcnow


class AttendanceOperation(db.Model):
    """One sheet save identified by its sender: a phone's operation id or an Idempotency-Key.

    The key is unique per account, so a retried request, a second tab or a phone that
    crashed mid-send gets the first answer back instead of saving the sheet again.
    """

    __tablename__ = "attendance_operations"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10))  # "api" or "phone"
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    day: Mapped[date]
    # When the phone saved the sheet (None for API calls): the correction window counts from it.
    device_time: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    answer: Mapped[dict | None] = mapped_column(JSON)
