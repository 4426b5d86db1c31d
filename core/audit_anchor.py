"""Checkpoints of the audit trail: the entry count and head hash at a moment, signed.

A checkpoint kept outside the database (printed, mailed to the other ministry)
pins the trail: even someone holding the audit key cannot rewrite an entry before
it without changing the head hash the checkpoint recorded.
"""

import hashlib
import hmac
import json
from datetime import datetime

from flask import current_app
from sqlalchemy import String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from core.audit import AuditEntry, record
from core.keys import key_id
from extensions import UtcDateTime, db, utcnow

SIGNED = ("entries", "last_entry_id", "head", "at", "key_id")


class AuditCheckpoint(db.Model):
    """Every checkpoint taken, so the audit page can show the latest one."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    entries: Mapped[int]
    last_entry_id: Mapped[int]
    head: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(64))

    def as_document(self) -> dict:
        return {
            "entries": self.entries,
            "last_entry_id": self.last_entry_id,
            "head": self.head,
            "at": self.at.isoformat(),
            "key_id": self.key_id,
            "signature": self.signature,
        }


def _signature(document: dict) -> str:
    canonical = json.dumps({name: document.get(name) for name in SIGNED}, sort_keys=True)
    key = current_app.config["AUDIT_KEY"].encode()
    # A separate prefix, so a checkpoint's signature can never pass for an entry's hash.
    return hmac.new(key, b"checkpoint:" + canonical.encode(), hashlib.sha256).hexdigest()


def take_checkpoint() -> AuditCheckpoint:
    """The trail as it stands, signed and stored (flush; the command commits)."""
    last = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    count = db.session.scalar(select(func.count()).select_from(AuditEntry))
    checkpoint = AuditCheckpoint(
        at=utcnow().replace(microsecond=0),
        entries=count,
        last_entry_id=last.id if last else 0,
        head=last.hash if last else "0" * 64,
        key_id=key_id(current_app.config["AUDIT_KEY"]),
    )
    checkpoint.signature = _signature(checkpoint.as_document())
    db.session.add(checkpoint)
    # The anchoring itself is on the trail, after the head it pins.
    record("anchor", "audit_checkpoints", after={"entries": count, "head": checkpoint.head})
    db.session.flush()
    return checkpoint


def latest_checkpoint() -> AuditCheckpoint | None:
    return db.session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))


def check_against(document: dict) -> str:
    """Why the trail does not match this checkpoint, or "" when it does.

    Call it after the chain itself verified: an intact chain whose entry at the
    checkpoint still has the recorded hash was not rewritten before that point.
    """
    try:
        signed = hmac.compare_digest(str(document["signature"]), _signature(document))
    except (KeyError, TypeError):
        return "the checkpoint file is not a checkpoint"
    if not signed:
        return "the checkpoint's signature does not match (a forged checkpoint or another key)"
    entry = db.session.get(AuditEntry, document["last_entry_id"])
    if document["last_entry_id"] and entry is None:
        return f"entry {document['last_entry_id']} of the checkpoint is missing"
    if entry is not None and entry.hash != document["head"]:
        return f"entry {entry.id} differs from the checkpoint: the trail before it was rewritten"
    count = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.id <= document["last_entry_id"])
    )
    if count != document["entries"]:
        return (
            f"the checkpoint counted {document['entries']} entries up to it, "
            f"the trail holds {count}"
        )
    return ""
