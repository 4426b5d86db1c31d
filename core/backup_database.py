"""The database part of a backup: a consistent copy out, and back in.

SQLite is copied with its online backup API (writers go on meanwhile). PostgreSQL
is dumped with `pg_dump --format=custom` inside one REPEATABLE READ snapshot that the
manifest's counts are read from too, so the counts describe exactly the dump.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from core.database import copy_sqlite
from extensions import db

# The rows a manifest counts: what a restore must bring back, one by one.
COUNTED = (
    "users",
    "trainees",
    "courses",
    "enrolments",
    "attendance_records",
    "module_results",
    "certificates",
    "audit_entries",
)


def _count_sql(table: str) -> str:
    return f"SELECT COUNT(*) FROM {table}"  # noqa: S608  # nosec B608 - names from COUNTED only


def counts() -> dict[str, int]:
    return {table: db.session.scalar(text(_count_sql(table))) for table in COUNTED}


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def dump(url: str, work: Path) -> tuple[Path, dict, dict]:
    """(the dump file, its row counts, its audit head)."""
    if url.startswith("sqlite:///"):
        target = work / "database.sqlite3"
        copy_sqlite(_sqlite_path(url), str(target))
        copy = sqlite3.connect(target)
        try:
            found = {t: copy.execute(_count_sql(t)).fetchone()[0] for t in COUNTED}
            head = copy.execute("SELECT last_hash, entries FROM audit_head").fetchone()
        finally:
            copy.close()
        return target, found, _head(head)
    if make_url(url).get_backend_name() != "postgresql":
        raise click.ClickException("backup knows SQLite and PostgreSQL only.")
    target = work / "database.pgdump"
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        found = {t: connection.scalar(text(_count_sql(t))) for t in COUNTED}
        head = connection.execute(text("SELECT last_hash, entries FROM audit_head")).first()
        _run(url, "pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}")
    return target, found, _head(head)


def _head(row) -> dict:
    return {"last_hash": row[0], "entries": row[1]} if row else {}


def load(url: str, source: Path) -> None:
    """Replace the database's content with the dump's (the engine is disposed before)."""
    if url.startswith("sqlite:///"):
        if source.suffix != ".sqlite3":
            raise click.ClickException("This archive holds a PostgreSQL dump: restore it there.")
        Path(_sqlite_path(url)).parent.mkdir(parents=True, exist_ok=True)
        copy_sqlite(str(source), _sqlite_path(url))
        return
    if source.suffix != ".pgdump":
        raise click.ClickException("This archive holds a SQLite database: restore it there.")
    # The schema goes first, whole: a newer one would clash with the dump's tables.
    with db.engine.begin() as connection:
        for table in inspect(connection).get_table_names():
            connection.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    _run(
        url,
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        str(source),
    )


def postgres_tool(name: str) -> str:
    """pg_dump / pg_restore: on the PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates.sort(key=lambda path: int(Path(path).parent.parent.name or 0))
    if not candidates:
        raise click.ClickException(
            f"{name} is not installed: install the PostgreSQL client tools (postgresql-client)."
        )
    return candidates[-1]


def _run(url: str, tool: str, *arguments: str) -> None:
    """Run a PostgreSQL tool on the URL's database; the password travels in the environment."""
    parts = make_url(url)
    environment = {**os.environ, "PGDATABASE": parts.database or ""}
    host = parts.host or parts.query.get("host")
    for variable, value in (
        ("PGHOST", host),
        ("PGPORT", parts.port),
        ("PGUSER", parts.username),
        ("PGPASSWORD", parts.password),
    ):
        if value:
            environment[variable] = str(value)
    command = [postgres_tool(tool), *arguments]
    if tool == "pg_restore":
        command.insert(1, f"--dbname={parts.database}")
    result = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise click.ClickException(f"{tool} failed: {result.stderr.strip()}")
