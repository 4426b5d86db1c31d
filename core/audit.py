"""The audit trail: every change to a training record, chained by HMAC-SHA256.

Each entry stores who, when (UTC), from which address, what (table and id), the
values before and after, and the hash of the entry before it; its own hash covers
all of that. Entries are written in the same transaction as the change, by a
session hook for ORM changes and by `record` for bulk statements and security
events; they are chained when the transaction commits. The chain head is one row that
every writer updates before it appends, so concurrent transactions queue behind each
other and the chain cannot fork. Nothing in the application edits or deletes an entry;
`flask audit-verify` checks the chain.
"""

import hashlib
import hmac
import json
from datetime import date, datetime

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    bindparam,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import flag_modified

from core.database import prebuilt
from extensions import UtcDateTime, db, utcnow

GENESIS = "0" * 64
# Tables whose every change is a training record (or an account) and is audited.
AUDITED = {
    "users",
    "organisations",
    "programmes",
    "modules",
    "courses",
    "course_quotas",
    "course_holidays",
    "cancelled_days",
    "plan_entries",
    "trainees",
    "enrolments",
    "attendance_sheets",
    "attendance_records",
    "module_results",
    "certificates",
}
# The records that decide eligibility: each change keeps the whole row after it, because
# values set during the flush (a version, a key filled from a relationship, a column
# never loaded before) escape the before/after comparison, and `audit-verify` compares
# the current rows with the trail (core/audit_records.py).
WHOLE_ROW = {"attendance_records", "module_results", "certificates"}
# Never written into the trail: secrets stay secret even from auditors.
HIDDEN = {"password_hash", "token_hash", "key_hash", "signature"}
# Made from other columns for finding and listing people (the names they are made of
# are in the trail): in the trail, they were noise an auditor had to read past.
DERIVED = {"search_text", "sort_name"}
LEFT_OUT = HIDDEN | DERIVED


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(20))  # create, update, delete, or an event
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    course_id: Mapped[int | None] = mapped_column(index=True)
    trainee_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(db.Model):
    """The end of the chain: one row, updated by every writer before it appends."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    entries: Mapped[int] = mapped_column(default=0)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        # An image (an organisation's emblem, up to 256 KB) is named by its digest and
        # size: that tells which one it was, and the trail does not grow by its bytes.
        return {"sha256": hashlib.sha256(value).hexdigest(), "bytes": len(value)}
    return value


CONTENT = (
    "at",
    "user_id",
    "address",
    "action",
    "entity",
    "entity_id",
    "course_id",
    "trainee_id",
    "before",
    "after",
    "prev_hash",
)


def entry_hash(values: dict, key: str | None = None) -> str:
    """HMAC-SHA256, keyed with AUDIT_KEY, of an entry's canonical content and previous hash.

    Keyed, so that someone who can write to the database but does not hold the key
    cannot recompute the chain after editing it.
    """
    canonical = json.dumps(
        {name: _plain(values.get(name)) for name in CONTENT},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    key = key if key is not None else current_app.config["AUDIT_KEY"]
    return hmac.new(key.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def _actor() -> tuple[int | None, str]:
    if not has_request_context():
        return None, "cli"
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    return user_id, (request.remote_addr or "")[:64]


def _scope(obj) -> tuple[int | None, int | None]:
    """The course and trainee a record belongs to, for the audit page's filters."""
    table = obj.__tablename__
    if table == "courses":
        return obj.id, None
    if table == "trainees":
        return None, obj.id
    course_id = getattr(obj, "course_id", None)
    trainee_id = getattr(obj, "trainee_id", None) if table != "users" else None
    enrolment = getattr(obj, "enrolment", None) if "enrolment_id" in obj.__table__.c else None
    if enrolment is not None:
        course_id, trainee_id = enrolment.course_id, enrolment.trainee_id
    return course_id, trainee_id


def _columns(obj, which: str, unread: dict | None = None) -> dict:
    state = inspect(obj)
    values = {}
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        if key in LEFT_OUT:
            continue
        history = state.attrs[key].history
        if which == "after":
            value = getattr(obj, key)
        elif history.deleted:
            value = history.deleted[0]
        elif unread and (id(obj), key) in unread:
            value = unread[id(obj), key]
        else:
            value = history.unchanged[0] if history.unchanged else getattr(obj, key, None)
        values[key] = _plain(value)
    return values


def _links(obj, which: str) -> dict:
    """The ids a record links to through a table of pairs (a course's instructors, a
    module's prerequisites), where they changed: {"instructors": [2, 5]}.

    No column of the record's own row changes then, yet who may teach a course (and so
    read and write its sheets) did: the change is the record's.
    """
    state = inspect(obj)
    values = {}
    for relationship in state.mapper.relationships:
        if relationship.secondary is None:
            continue
        history = state.attrs[relationship.key].history  # never loads what was not read
        if history.has_changes():
            linked = [*history.unchanged, *(history.added if which == "after" else history.deleted)]
            values[relationship.key] = sorted(item.id for item in linked)
    return values


def _count_a_new_version(obj, state) -> None:
    """A record whose links alone changed gets a new version too: a client holding the
    old one is refused (409), not allowed to overwrite the change unseen. The version
    counter moves only when its row is updated, so one of its columns is marked."""
    version = state.mapper.version_id_col
    if version is None or not _links(obj, "after"):
        return
    plain = next(
        attribute.key
        for attribute in state.mapper.column_attrs
        if not attribute.columns[0].primary_key and attribute.columns[0] is not version
    )
    flag_modified(obj, plain)


# Values before, read from the database for columns set without being read first.
UNREAD = "audit_unread"


@event.listens_for(Session, "before_flush")
def _read_what_was_never_loaded(session: Session, _context, _instances) -> None:
    """A column set without being read (a deferred emblem, a value expired at the last
    commit) has nothing "before" in its history, and the change would look like no change:
    replacing an emblem with another left no entry. Read it while the row still holds it."""
    unread = {}
    for obj in session.dirty:
        if getattr(obj, "__tablename__", None) not in AUDITED:
            continue
        state = inspect(obj)
        _count_a_new_version(obj, state)
        for attribute in state.mapper.column_attrs:
            history = state.attrs[attribute.key].history
            if history.added and not history.deleted and not history.unchanged:
                found = select(attribute.columns[0]).where(
                    state.mapper.primary_key[0] == state.identity[0]
                )
                unread[id(obj), attribute.key] = session.connection().execute(found).scalar()
    session.info[UNREAD] = unread  # this flush's only: one that failed leaves nothing behind


def append(connection, entries: list[dict]) -> tuple[int, str] | None:
    """Chain and write entries: lock the head, link each to the one before, move the head.

    Answers the trail's new length and head hash (None when there was nothing to write).
    """
    if not entries:
        return None
    count = {"count": len(entries)}
    taken = connection.execute(_take_head(), count).one_or_none()
    if taken is None:  # a database created before the trail existed
        connection.execute(insert(AuditHead).values(id=1, last_hash=GENESIS, entries=0))
        taken = connection.execute(_take_head(), count).one()
    previous, length = taken
    rows = []
    for entry in entries:
        entry = {**entry, "prev_hash": previous}
        entry["hash"] = entry_hash(entry)
        previous = entry["hash"]
        rows.append(entry)
    connection.execute(_insert_entries(), rows)
    connection.execute(_move_head(), {"last_hash": previous})
    return length, previous


# Kept statements (core.database.prebuilt): every change of every request ends here,
# with the write lock held.
@prebuilt
def _take_head():
    return (
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(entries=AuditHead.entries + bindparam("count"))
        .returning(AuditHead.last_hash, AuditHead.entries)  # the length after this append
    )


@prebuilt
def _insert_entries():
    return insert(AuditEntry)


@prebuilt
def _move_head():
    return update(AuditHead).where(AuditHead.id == 1).values(last_hash=bindparam("last_hash"))


def _entry(
    action: str,
    entity: str,
    entity_id,
    before,
    after,
    course_id=None,
    trainee_id=None,
    user_id=None,
):
    actor, address = _actor()
    user_id = user_id or actor
    return {
        "at": utcnow(),
        "user_id": user_id,
        "address": address,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "course_id": course_id,
        "trainee_id": trainee_id,
        "before": before,
        "after": after,
    }


def record(
    action: str,
    entity: str,
    entity_id=None,
    before=None,
    after=None,
    course_id=None,
    trainee_id=None,
    user_id=None,
) -> None:
    """An entry written explicitly: bulk changes and security events."""
    record_many([(action, entity, entity_id, before, after, course_id, trainee_id, user_id)])


def record_many(changes: list[tuple]) -> None:
    """Several explicit entries at once: (action, entity, id, before, after, course, trainee)."""
    _queue(db.session(), [_entry(*change) for change in changes])


# Entries wait on the session and are chained when it commits: one lock of the head,
# one INSERT and one move of the head per transaction, however many flushes and
# explicit entries it made (a sheet saved was three of each). A rollback drops them
# with the changes they describe.
PENDING = "audit_pending"


def _queue(session: Session, entries: list[dict]) -> None:
    if entries:
        session.info.setdefault(PENDING, []).extend(entries)


@event.listens_for(Session, "before_commit")
def _write_trail(session: Session) -> None:
    session.flush()  # the last changes queue their entries first
    entries = session.info.pop(PENDING, None)
    if entries:
        session.info[WRITTEN] = append(session.connection(), entries)


# The trail's length and head once this transaction commits (core.audit_heads keeps them).
WRITTEN = "audit_written"


@event.listens_for(Session, "after_transaction_end")
def _forget_trail(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended: committed or rolled back
        session.info.pop(PENDING, None)
        session.info.pop(WRITTEN, None)


@event.listens_for(Session, "after_flush")
def _audit_flush(session: Session, _context) -> None:
    """Every ORM change of an audited table, in the transaction that makes it."""
    entries = []
    unread = session.info.pop(UNREAD, None)
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table not in AUDITED:
                continue
            links = _links(obj, "after")
            if (
                action == "update"
                and not links
                and not session.is_modified(obj, include_collections=False)
            ):
                continue
            before = None if action == "create" else _columns(obj, "before", unread)
            after = None if action == "delete" else _columns(obj, "after")
            if links and after is not None:
                after.update(links)
                if before is not None:
                    before.update(_links(obj, "before"))
            if action == "update":
                changed = {k for k in after if before.get(k) != after.get(k)}
                if not changed and table not in WHOLE_ROW:
                    continue
                before = {k: before[k] for k in changed}
                if table not in WHOLE_ROW:
                    after = {k: after[k] for k in changed}
            course_id, trainee_id = _scope(obj)
            entries.append(
                _entry(
                    action, table, getattr(obj, "id", None), before, after, course_id, trainee_id
                )
            )
    _queue(session, entries)


def verify_chain(batch: int = 1000) -> tuple[int, AuditEntry | None, str]:
    """(entries checked, the first broken entry or None, why it is broken)."""
    previous, checked, last_id = GENESIS, 0, 0
    while True:
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not entries:
            break
        for entry in entries:
            values = {name: getattr(entry, name) for name in CONTENT}
            if entry.prev_hash != previous:
                return (
                    checked,
                    entry,
                    "it does not follow the entry before it (one was removed or inserted)",
                )
            if entry_hash(values) != entry.hash:
                return checked, entry, "its content does not match its hash (it was edited)"
            previous, checked, last_id = entry.hash, checked + 1, entry.id
    head = db.session.get(AuditHead, 1)
    if head is not None and head.last_hash != previous:
        return (
            checked,
            None,
            "the chain ends before its recorded head (entries were removed at the end)",
        )
    return checked, None, ""
