"""Certificates, their yearly number counters, and the log of every print."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import UtcDateTime, db, utcnow
from models.account import User
from models.enrolment import Enrolment


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"  # never stored: a valid certificate past its expiry date
    # Issued under a programme with certificate_approvals = each_organisation, and not yet
    # approved by every issuing organisation: not valid, printed as a draft.
    PENDING_APPROVAL = "pending_approval"


# Certificates that stand in a valid one's place: one per enrolment at most.
HELD = (CertificateStatus.VALID, CertificateStatus.PENDING_APPROVAL)


class CertificateCounter(db.Model):
    """The last number given in a year; taken in the certificate's own transaction."""

    __tablename__ = "certificate_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # At most one valid (or pending) certificate per enrolment, kept by the database.
        Index(
            "uq_certificates_one_valid_per_enrolment",
            "enrolment_id",
            unique=True,
            sqlite_where=text("status IN ('valid', 'pending_approval')"),
            postgresql_where=text("status IN ('valid', 'pending_approval')"),
        ),
        # The refresher list: valid certificates by expiry, however many years pile up.
        Index("ix_certificates_status_expires_on", "status", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # 2021-00001
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=CertificateStatus.VALID)
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
    # Added later (None on certificates issued before): the holder's identity for a
    # checkpoint, the texts in az/ru and the EOD level. Signed only when present, so
    # the older certificates keep verifying with the signatures they were given.
    holder_rank: Mapped[str | None] = mapped_column(String(80), default=None)
    holder_personal_number: Mapped[str | None] = mapped_column(String(30), default=None)
    holder_birth_date: Mapped[date | None] = mapped_column(default=None)
    holder_organisation: Mapped[str | None] = mapped_column(String(200), default=None)
    texts: Mapped[dict | None] = mapped_column(JSON, default=None)  # field -> {az, ru}
    eod_level: Mapped[str | None] = mapped_column(String(2), default=None)
    # The organisations whose approval it needs ([] when none is needed).
    approvals_required: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # HMAC-SHA256 of the fields above: an edited record fails verification.
    signature: Mapped[str] = mapped_column(String(64))
    # Which certificate key signed it (core/keys.py), so keys can be rotated.
    key_id: Mapped[str] = mapped_column(String(16))
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
    approvals: Mapped[list["CertificateApproval"]] = relationship(
        back_populates="certificate", order_by="CertificateApproval.organisation_name"
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


class CertificateApproval(db.Model):
    """One issuing organisation's approval, by its approver: who signs for it on paper."""

    __tablename__ = "certificate_approvals"
    # One approval per organisation and certificate, whoever tries twice at once.
    __table_args__ = (UniqueConstraint("certificate_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # As printed, kept as they were on the day: a later change of position changes nothing.
    organisation_name: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    rank: Mapped[str] = mapped_column(String(80))
    approved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    certificate: Mapped[Certificate] = relationship(back_populates="approvals")
    user: Mapped[User] = relationship()
