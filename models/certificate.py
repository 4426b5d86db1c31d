"""Certificates, their yearly number counters, and the log of every print."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.account import User
from models.enrolment import Enrolment


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"  # never stored: a valid certificate past its expiry date


class CertificateCounter(db.Model):
    """The last number given in a year; taken in the certificate's own transaction."""

    __tablename__ = "certificate_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # At most one valid certificate per enrolment, kept by the database itself.
        Index(
            "uq_certificates_one_valid_per_enrolment",
            "enrolment_id",
            unique=True,
            sqlite_where=text("status = 'valid'"),
            postgresql_where=text("status = 'valid'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # 2021-00001
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=CertificateStatus.VALID)
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    # What the certificate says, as printed: later edits of the records do not change it.
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_name_latin: Mapped[str] = mapped_column(String(200))
    holder_language: Mapped[str] = mapped_column(String(2))
    course_code: Mapped[str] = mapped_column(String(30))
    course_title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    course_start: Mapped[date]
    course_end: Mapped[date]
    qualification: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int]
    modules: Mapped[list[dict]] = mapped_column(JSON)  # code, title, hours, result
    issuers: Mapped[list[str]] = mapped_column(JSON)  # the organisations that issue it
    # HMAC-SHA256 of the fields above: an edited record fails verification.
    signature: Mapped[str] = mapped_column(String(64))
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revoked_on: Mapped[date | None]
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    enrolment: Mapped[Enrolment] = relationship()
    issued_by: Mapped[User] = relationship()
    replaces: Mapped["Certificate | None"] = relationship(
        foreign_keys=[replaces_id], remote_side=[id]
    )
    superseded_by: Mapped["Certificate | None"] = relationship(
        foreign_keys=[superseded_by_id], remote_side=[id]
    )

    __mapper_args__ = {"version_id_col": version}


class CertificatePrint(db.Model):
    """Every download or print of a certificate: who, which, when, from where."""

    __tablename__ = "certificate_prints"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))  # "single" or "course"
    address: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
