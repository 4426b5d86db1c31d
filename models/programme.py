"""What is taught: a programme and its ordered modules."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow


class ModuleKind(StrEnum):
    THEORY = "theory"
    PRACTICAL = "practical"
    FIELD = "field"


module_prerequisites = Table(
    "module_prerequisites",
    db.metadata,
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
    Column("prerequisite_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
)


class Programme(db.Model):
    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("duration_days BETWEEN 1 AND 366", name="duration_days"),
        CheckConstraint("attendance_threshold BETWEEN 0 AND 100", name="attendance_threshold"),
        CheckConstraint("max_attempts >= 1", name="max_attempts"),
        CheckConstraint("validity_months >= 1", name="validity_months"),
        CheckConstraint("hours_per_day BETWEEN 1 AND 24", name="hours_per_day"),
        CheckConstraint(
            "certificate_approvals IN ('none', 'each_organisation')", name="certificate_approvals"
        ),
        CheckConstraint(
            "eod_level IS NULL OR eod_level IN ('1', '2', '3', '3+')", name="eod_level"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    qualification: Mapped[str] = mapped_column(String(200))
    title_i18n: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    qualification_i18n: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    # none: issued certificates are valid at once; each_organisation: every issuing
    # organisation's approver must approve first (four eyes across ministries).
    certificate_approvals: Mapped[str] = mapped_column(
        String(20), default="none", server_default="none"
    )
    # IMAS 09.30 EOD level the qualification certifies (None: free text only).
    eod_level: Mapped[str | None] = mapped_column(String(2), default=None)
    eod_modules: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    duration_days: Mapped[int] = mapped_column(default=45)
    attendance_threshold: Mapped[int] = mapped_column(default=90)  # percent
    rest_weekdays: Mapped[list[int]] = mapped_column(JSON, default=lambda: [6])  # Monday = 0
    max_attempts: Mapped[int] = mapped_column(default=2)
    validity_months: Mapped[int] = mapped_column(default=36)
    hours_per_day: Mapped[int] = mapped_column(default=8)  # teaching hours of a training day
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="programme",
        order_by="Module.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def total_hours(self) -> int:
        return sum(module.hours for module in self.modules)

    def __repr__(self) -> str:
        return f"<Programme {self.code}>"


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (
        UniqueConstraint("programme_id", "code"),
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("kind IN ('theory', 'practical', 'field')", name="kind"),
        CheckConstraint("pass_mark IS NULL OR pass_mark BETWEEN 0 AND 100", name="pass_mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]  # 1-based order within the programme
    code: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    title_i18n: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    hours: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    pass_mark: Mapped[int | None]  # None: assessed as pass or fail
    mandatory: Mapped[bool] = mapped_column(default=True)

    programme: Mapped[Programme] = relationship(back_populates="modules")
    prerequisites: Mapped[list["Module"]] = relationship(
        secondary=module_prerequisites,
        primaryjoin=lambda: Module.id == module_prerequisites.c.module_id,
        secondaryjoin=lambda: Module.id == module_prerequisites.c.prerequisite_id,
        order_by=lambda: Module.position,
    )

    @property
    def scored(self) -> bool:
        return self.pass_mark is not None

    def __repr__(self) -> str:
        return f"<Module {self.code}>"
