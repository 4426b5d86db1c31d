"""A ministry or agency that sends trainees and instructors."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import UtcDateTime, db, utcnow

LANGUAGES = ("az", "ru", "en")


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("language IN ('az', 'ru', 'en')", name="language"),
        CheckConstraint("length(country) = 2", name="country_alpha2"),
        Index("uq_organisations_name", "name", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    # Unique (uq_organisations_name, above): a certificate names the organisations that
    # approve it (approvals_required).
    name: Mapped[str] = mapped_column(String(200))
    # The name in az and ru ({} when none): English (`name`) stands in for a missing one.
    name_i18n: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    # The emblem printed on its certificates: PNG or SVG bytes, checked on upload.
    # Deferred: lists of organisations never need up to 256 KB each.
    emblem: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    emblem_type: Mapped[str | None] = mapped_column(String(20), default=None)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    language: Mapped[str] = mapped_column(String(2))  # of its certificates and people
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"
