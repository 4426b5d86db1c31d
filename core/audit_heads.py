"""What this server saw the audit trail reach, kept outside the database.

Each transaction that writes trail entries appends the trail's new length and head hash,
once it has committed, to a file in the instance folder (`AUDIT_HEADS_FILE`). Someone who
can write to the database but not to this server's files could otherwise cut entries off
the end of the trail and move its head back (undoing a revocation with them): what is left
is still a whole chain. `audit-verify` checks that the trail still holds the last head
this server wrote, and a restore says how many entries the archive lacks. (Someone who
can also write this server's files is seen only by a checkpoint kept elsewhere.)
"""

import atexit
import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from flask import current_app, has_app_context
from sqlalchemy import event, func, make_url, select
from sqlalchemy.orm import Session

from core.audit import WRITTEN, AuditEntry
from extensions import db, utcnow


def heads_file() -> Path | None:
    """`AUDIT_HEADS_FILE`, or by default a file in the instance folder named after the
    database (a demo and a benchmark database may share one instance folder)."""
    config = current_app.config
    return _path(
        config.get("AUDIT_HEADS_FILE"), current_app.instance_path, config["SQLALCHEMY_DATABASE_URI"]
    )


@lru_cache(maxsize=16)
def _path(given: str | None, instance_path: str, database_url: str) -> Path | None:
    """Worked out once: every saving request asks."""
    if given is None:
        database = make_url(database_url).render_as_string(hide_password=True)
        digest = hashlib.sha256(database.encode()).hexdigest()[:12]
        return Path(instance_path) / f"audit_heads-{digest}"
    return Path(given) if given else None


@event.listens_for(Session, "after_commit")
def _write_head(session: Session) -> None:
    written = session.info.pop(WRITTEN, None)
    if written is None or not has_app_context() or (path := heads_file()) is None:
        return
    length, head = written
    line = f"{length} {head} {utcnow().isoformat(timespec='seconds')}\n"
    try:
        _append(path, line)
    except OSError:  # the change is committed already: say so, never fail the request
        current_app.logger.exception("the audit heads file %s could not be written", path)


_handles: dict[tuple[int, Path], TextIO] = {}
_writing = threading.Lock()  # a server's threads share its open file


@atexit.register
def _close_all() -> None:
    for handle in _handles.values():
        handle.close()
    _handles.clear()


def _append(path: Path, line: str) -> None:
    """One short line in append mode, written at once: lines of several processes and
    threads never mix. The file stays open in each process; a file renamed aside (by a
    restore) or removed is opened anew."""
    with _writing:
        _append_locked(path, line)


def _append_locked(path: Path, line: str) -> None:
    key = (os.getpid(), path)
    handle = _handles.get(key)
    if handle is not None:
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except OSError:
            same = False
        if not same:
            handle.close()
            handle = None
    if handle is None:
        handle = _handles[key] = path.open("a", encoding="ascii", buffering=1)
    handle.write(line)


def last_seen(path: Path | None = None) -> tuple[int, str, str] | None:
    """(length, head hash, when) of the longest trail written here, or None."""
    path = path or heads_file()
    if path is None or not path.exists():
        return None
    seen = None
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].isdigit() and (seen is None or int(parts[0]) >= seen[0]):
            seen = (int(parts[0]), parts[1], parts[2])
    return seen


def check_seen() -> str:
    """Why the trail is not the one this server saw written, or "" when it still is."""
    seen = last_seen()
    if seen is None:
        return ""
    length, head, at = seen
    found = db.session.scalar(
        select(AuditEntry.hash).order_by(AuditEntry.id).offset(length - 1).limit(1)
    )
    if found is None:
        holds = db.session.scalar(select(func.count()).select_from(AuditEntry))
        return (
            f"this server saw the trail reach {length} entries at {at}, and it holds {holds}: "
            "entries were cut off its end"
        )
    if found != head:
        return f"entry number {length} is not the one this server saw written at {at}"
    return ""


def set_aside(suffix: str) -> Path | None:
    """Keep the file under another name (after a restore, it describes another trail)."""
    path = heads_file()
    if path is None or not path.exists():
        return None
    kept = path.with_name(f"{path.name}.{suffix}")
    path.rename(kept)
    return kept
