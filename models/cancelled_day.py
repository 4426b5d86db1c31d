"""A training day called off at short notice (weather, an incident at the range)."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.account import User
from models.course import Course


class CancelledDay(db.Model):
    """A day taken out of a course's training days; `made_up` moved the end by one day."""

    __tablename__ = "cancelled_days"
    __table_args__ = (UniqueConstraint("course_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(500))
    made_up: Mapped[bool]
    cancelled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="cancelled_days")
    cancelled_by: Mapped[User] = relationship()
