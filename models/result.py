"""Module results: each assessment of a trainee in a module is one attempt."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.account import User
from models.enrolment import Enrolment
from models.programme import Module


class ModuleResult(db.Model):
    __tablename__ = "module_results"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "module_id", "attempt"),
        CheckConstraint("attempt >= 1", name="attempt"),
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    attempt: Mapped[int]  # 1, 2, ...: the latest one counts
    score: Mapped[int | None]  # scored (theory) modules only
    passed: Mapped[bool]  # score >= pass mark, or the assessor's pass/fail
    assessed_on: Mapped[date]
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    corrected_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(default=1)

    enrolment: Mapped[Enrolment] = relationship()
    module: Mapped[Module] = relationship()
    assessor: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}
