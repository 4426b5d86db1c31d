"""The trainee registry of both ministries."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.organisation import Organisation


class Trainee(db.Model):
    __tablename__ = "trainees"
    __table_args__ = (UniqueConstraint("organisation_id", "personal_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Unique within the organisation: each ministry numbers its own people.
    personal_number: Mapped[str] = mapped_column(String(30))
    rank: Mapped[str] = mapped_column(String(80))
    full_name: Mapped[str] = mapped_column(String(200))  # in the native script
    full_name_latin: Mapped[str] = mapped_column(String(200))  # as in the passport
    date_of_birth: Mapped[date]
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    medical_clearance_until: Mapped[date]
    # Both names and the personal number, folded by core.search_text.search_index.
    search_text: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # The Latin name as lists order it (core.name_order.sort_key): Əliyev after Eyvazov.
    sort_name: Mapped[str] = mapped_column(String(400), default="", server_default="", index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Trainee {self.personal_number} {self.full_name_latin}>"
