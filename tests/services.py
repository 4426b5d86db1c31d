"""The real services the suite runs against: a PostgreSQL server and Chromium."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg


class Unavailable(Exception):
    """A component the tests need is not installed here."""


def chromium_executable() -> str:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise Unavailable("Chromium is not installed (apt-get install chromium)")


def _postgres_bin() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if versions:
        return Path(versions[-1]).parent
    raise Unavailable("PostgreSQL is not installed (apt-get install postgresql)")


def _version_key(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


class PostgresServer:
    """A throwaway server in a temporary folder, or the one TEST_DATABASE_URL names."""

    def __init__(self, url: str | None = None, bindir: Path | None = None):
        self.url = url
        self.bindir = bindir
        self.folder: Path | None = None

    @classmethod
    def from_environment(cls, _tmp_path_factory=None) -> "PostgresServer":
        url = os.environ.get("TEST_DATABASE_URL")
        if url:
            return cls(url=url)
        return cls(bindir=_postgres_bin())

    # PostgreSQL refuses to run as root; as root, run it as an unprivileged account.
    def _as_server_user(self, command: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return command
        return ["runuser", "-u", self._server_user(), "--", *command]

    @staticmethod
    def _server_user() -> str:
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
                return name
            except KeyError:
                continue
        raise Unavailable("no unprivileged account to run PostgreSQL as")

    def __enter__(self) -> "PostgresServer":
        if self.url:
            return self
        self.folder = Path(tempfile.mkdtemp(prefix="training-pg-"))
        if os.geteuid() == 0:
            account = pwd.getpwnam(self._server_user())
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        data = self.folder / "data"
        self._run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        options = (
            f"-k {self.folder} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(self.folder / "server.log"),
                "-w",
                "start",
            ]
        )
        return self

    def __exit__(self, *_exc) -> None:
        if self.folder is None:
            return
        subprocess.run(
            self._as_server_user(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.folder / "data"),
                    "-m",
                    "immediate",
                    "stop",
                ]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, command: list[str]) -> None:
        result = subprocess.run(self._as_server_user(command), capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed:\n{result.stdout}\n{result.stderr}")

    def _admin_connection(self):
        if self.url:
            base = self.url.replace("postgresql+psycopg://", "postgresql://")
            return psycopg.connect(base, autocommit=True)
        return psycopg.connect(
            host=str(self.folder), user="postgres", dbname="postgres", autocommit=True
        )

    def create_database(self, name: str) -> str:
        """A new empty database (one per xdist worker) and its SQLAlchemy URL."""
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"{name}_{worker}"
        with self._admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        if self.url:
            head, _, _ = self.url.replace("postgresql://", "postgresql+psycopg://").rpartition("/")
            return f"{head}/{name}"
        return f"postgresql+psycopg://postgres@/{name}?host={self.folder}"
