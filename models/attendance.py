"""Attendance: one sheet per course and training day, one record per trainee on it."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.account import User
from models.course import Course
from models.enrolment import Enrolment


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"


class AttendanceSheet(db.Model):
    """A training day of a course as recorded: who saved it, when, and its version."""

    __tablename__ = "attendance_sheets"
    __table_args__ = (UniqueConstraint("course_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    day: Mapped[date]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Why a sheet older than the correction window was changed (administrators only).
    correction_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    course: Mapped[Course] = relationship()
    recorded_by: Mapped[User] = relationship()
    records: Mapped[list["AttendanceRecord"]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class AttendanceRecord(db.Model):
    """One trainee on one training day: present, late, absent or excused."""

    __tablename__ = "attendance_records"
    __table_args__ = (
        UniqueConstraint("sheet_id", "enrolment_id"),
        CheckConstraint("status IN ('present', 'late', 'absent', 'excused')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("attendance_sheets.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    sheet: Mapped[AttendanceSheet] = relationship(back_populates="records")
    enrolment: Mapped[Enrolment] = relationship()
