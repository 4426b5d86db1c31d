"""Database set-up: SQLite connection settings and `flask init-db`."""

import sqlite3
from functools import cache
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import Row, event, select, text

from extensions import UtcDateTime, db

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer writes; foreign keys are off by
    # default in SQLite; the busy timeout makes a second writer wait, not fail.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # SQLite's own lower() knows only ASCII; names here are Azerbaijani and Russian.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(text):
    return text.lower() if isinstance(text, str) else text


def prebuilt(build):
    """A statement built on first use and kept; each call binds its own values.

    Building a select with its loader options costs SQLAlchemy 0.2-0.3 ms, and working
    out its cache key as much again; a kept statement costs neither (its key is kept
    with it). Only for statements that run on most requests: a kept one reads less
    plainly. Built when first used, never at import, which would configure the mappers.
    """
    return cache(build)


def plain_rows(statement, parameters: dict | None = None) -> list[Row]:
    """The rows of a SELECT of columns (no mapped class), run as Core on the session's
    connection, in its transaction.

    Through the session the ORM would pass each row of a column-only select through its
    loading machinery: for a grid's 2,280 records that doubled the query's time. Pending
    changes are flushed first, as the session's autoflush would.
    """
    session = db.session
    if session.autoflush:
        session.flush()  # nothing to do (and no statement) when nothing is pending
    return session.connection().execute(statement, parameters or {}).all()


def write_lock_first() -> None:
    """On SQLite, take the write lock before reading what is about to be changed.

    SQLite lets one writer at a time in, but reads come before the write: two saves
    of one sheet both read version 3 and the second was refused as if someone had
    changed the sheet under it. BEGIN IMMEDIATE makes the second wait (busy timeout)
    and then read what the first saved. PostgreSQL locks the rows it reads instead
    (SELECT ... FOR UPDATE where the service reads them).
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.driver_connection.in_transaction:  # else it writes already
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_row(model, row_id: int) -> bool:
    """Lock one row until the transaction ends: a record about to be made under it.

    For PostgreSQL, where no row exists yet to lock (the first save of a day's sheet);
    SQLite holds its one write lock already (`write_lock_first`). True if it waited.
    """
    if db.session.connection().dialect.name == "sqlite":
        return False
    db.session.execute(select(model.id).where(model.id == row_id).with_for_update())
    return True


def render_item(type_, obj, autogen_context):
    """Write our column types into migrations as the plain SQLAlchemy types they store."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    return False


MIGRATE_OPTIONS = {"render_as_batch": True, "compare_type": True, "render_item": render_item}


def configure_engine(app) -> None:
    """Connection settings that belong to each connection, not to the schema."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def migrate_database() -> None:
    """Create the schema, or bring it to the newest migration."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(directory=MIGRATIONS)


def database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        current_app.logger.exception("database health check failed")
        return False
    return True


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create (or migrate) the database named by DATABASE_URL."""
    migrate_database()
    click.echo("Database is up to date.")


def copy_sqlite(source_path: str, target_path: str) -> None:
    """SQLite's online backup: every committed transaction, none half-written."""
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target, pages=256)  # copies in steps; writers go on meanwhile
    finally:
        target.close()
        source.close()
