"""One scheduled run of a programme, with its instructors, quotas, holidays and plan."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.account import User
from models.organisation import Organisation
from models.programme import Module, Programme


class CourseStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


course_instructors = Table(
    "course_instructors",
    db.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint(
            "status IN ('planned', 'open', 'in_progress', 'completed', 'cancelled')",
            name="status",
        ),
        # Course lists are newest first, a page at a time, over years of courses.
        Index("ix_courses_start_date", "start_date"),
        Index("ix_courses_end_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    # Derived (start + duration - 1) but stored: overlap checks and lists query it.
    end_date: Mapped[date]
    location: Mapped[str] = mapped_column(String(200))
    title_i18n: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    location_i18n: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    capacity: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=CourseStatus.PLANNED)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    plan_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    version: Mapped[int] = mapped_column(default=1)

    programme: Mapped[Programme] = relationship()
    instructors: Mapped[list[User]] = relationship(
        secondary=course_instructors, order_by="User.full_name"
    )
    quotas: Mapped[list["CourseQuota"]] = relationship(
        back_populates="course", cascade="all, delete-orphan", passive_deletes=True
    )
    holidays: Mapped[list["CourseHoliday"]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CourseHoliday.day",
    )
    plan: Mapped[list["PlanEntry"]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(PlanEntry.day, PlanEntry.id)",
    )
    cancelled_days: Mapped[list["CancelledDay"]] = relationship(  # noqa: F821 - cancelled_day.py
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CancelledDay.day",
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Course {self.code}>"


class CourseQuota(db.Model):
    """At most `max_trainees` from one organisation in one course."""

    __tablename__ = "course_quotas"
    __table_args__ = (
        UniqueConstraint("course_id", "organisation_id"),
        CheckConstraint("max_trainees >= 0", name="max_trainees"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    max_trainees: Mapped[int]

    course: Mapped[Course] = relationship(back_populates="quotas")
    organisation: Mapped[Organisation] = relationship()


class CourseHoliday(db.Model):
    """An extra non-training day of one course."""

    __tablename__ = "course_holidays"
    __table_args__ = (UniqueConstraint("course_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    day: Mapped[date]

    course: Mapped[Course] = relationship(back_populates="holidays")


class PlanEntry(db.Model):
    """Hours of one module taught on one training day of a course."""

    __tablename__ = "plan_entries"
    __table_args__ = (
        UniqueConstraint("course_id", "day", "module_id"),
        CheckConstraint("hours > 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    hours: Mapped[int]

    course: Mapped[Course] = relationship(back_populates="plan")
    module: Mapped[Module] = relationship()
