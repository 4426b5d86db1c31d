"""A trainee in a course: the roster row that attendance and results hang on."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.course import Course
from models.trainee import Trainee


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    FAILED = "failed"


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("course_id", "trainee_id"),
        CheckConstraint(
            "status IN ('enrolled', 'withdrawn', 'completed', 'failed')", name="status"
        ),
        CheckConstraint(
            "(status = 'withdrawn') = (withdrawn_on IS NOT NULL)", name="withdrawal_dated"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrolmentStatus.ENROLLED)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    withdrawn_on: Mapped[date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    course: Mapped[Course] = relationship()
    trainee: Mapped[Trainee] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Enrolment {self.course_id}/{self.trainee_id} {self.status}>"
