"""`flask backup` and `flask restore`: the database and the keys, in one archive.

A database without its keys is worth little: every certificate would verify as
forged and the audit trail could not be checked. So the archive (a gzipped tar)
holds a consistent copy of the database (SQLite's online backup, or a `pg_dump`
custom-format dump of one snapshot), the keys of the instance folder, and a
manifest with the row counts and the audit head of that same copy. With a
passphrase it is sealed with AES-256-GCM under a key derived by scrypt.
"""

import io
import json
import os
import re
import tarfile
import tempfile
from pathlib import Path

import click
from cryptography.hazmat.primitives import serialization
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, inspect, select, text

from core import backup_database as database
from core.audit import AuditEntry
from core.audit_cli import verify_trail
from core.audit_heads import last_seen, set_aside
from core.keys import KEY_FILES, certificate_keyring, write_key_file
from core.sealing import open_sealed, seal
from extensions import db, utcnow

FORMAT = 1


def _key_texts(config) -> dict[str, str]:
    texts = {name: config.get(name) or "" for name in KEY_FILES}
    texts["CERTIFICATE_RETIRED_KEYS"] = "\n".join(config.get("CERTIFICATE_RETIRED_KEYS", []))
    folder = Path(current_app.instance_path)

    def environment(name: str) -> str:
        return os.environ.get(name, "").strip().replace("\\n", "\n")

    def kept(name: str) -> str:
        path = folder / KEY_FILES[name]
        return path.read_text() if path.exists() else ""

    # The credential keys are read when first needed: the environment, else the file;
    # the retired ones from both, as /.well-known/jwks.json publishes both.
    if not texts["CREDENTIAL_KEY"]:
        texts["CREDENTIAL_KEY"] = environment("CREDENTIAL_KEY") or kept("CREDENTIAL_KEY")
    if not texts["CREDENTIAL_RETIRED_KEYS"]:
        retired = (environment("CREDENTIAL_RETIRED_KEYS"), kept("CREDENTIAL_RETIRED_KEYS"))
        texts["CREDENTIAL_RETIRED_KEYS"] = "\n".join(text for text in retired if text)
    return texts


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    member = tarfile.TarInfo(name)
    member.size, member.mode, member.mtime = len(data), 0o600, int(utcnow().timestamp())
    archive.addfile(member, io.BytesIO(data))


def write_backup(path: str, passphrase: str | None) -> dict:
    """Write the archive; answers its manifest."""
    config = current_app.config
    with tempfile.TemporaryDirectory(prefix="training-backup-") as work:
        dump, counts, head = database.dump(config["SQLALCHEMY_DATABASE_URI"], Path(work))
        keys = _key_texts(config)
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().isoformat(),
            "database": dump.name,
            "counts": counts,
            "audit_head": head,
            "certificate_key_ids": list(certificate_keyring(config)),
        }
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=dump.name)
            for name, value in keys.items():
                _add(archive, f"keys/{KEY_FILES[name]}", value.encode())
    data = buffer.getvalue()
    if passphrase:
        data = seal(data, passphrase)
    # Keys inside: only its owner may read it, from the first byte written.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return manifest


def _passphrase(name: str | None) -> str | None:
    if not name:
        return None
    value = os.environ.get(name, "")
    if not value:
        raise click.ClickException(f"The environment variable {name} holds no passphrase.")
    return value


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--passphrase-env",
    metavar="NAME",
    help="Encrypt the archive with the passphrase in this environment variable.",
)
@with_appcontext
def backup_command(path: str, passphrase_env: str | None) -> None:
    """One archive with the database, the keys and a manifest, taken while the server runs."""
    manifest = write_backup(path, _passphrase(passphrase_env))
    counts = ", ".join(f"{count} {name}" for name, count in manifest["counts"].items())
    sealed = " (encrypted)" if passphrase_env else ""
    click.echo(f"Backed up to {path}{sealed}: {counts}.")


def _is_empty() -> bool:
    tables = set(inspect(db.engine).get_table_names())
    for table in ("users", "audit_entries", "trainees"):
        if table in tables and db.session.scalar(text(f"SELECT COUNT(*) FROM {table}")):  # noqa: S608  # nosec B608
            return False
    return True


def _read_archive(path: str, passphrase: str | None, work: Path) -> dict:
    data = Path(path).read_bytes()
    data = open_sealed(data, passphrase)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(work, filter="data")
    manifest = json.loads((work / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise click.ClickException("This archive was not written by flask backup.")
    return manifest


PUBLIC_PEM = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def _credential_halves(folder: Path) -> list[str]:
    """The public halves of this instance's credential key and of the keys it retired."""
    halves = []
    current = folder / KEY_FILES["CREDENTIAL_KEY"]
    if current.exists():
        key = serialization.load_pem_private_key(current.read_bytes(), password=None)
        public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        halves.append(public.decode().strip())
    retired = folder / KEY_FILES["CREDENTIAL_RETIRED_KEYS"]
    if retired.exists():
        halves += PUBLIC_PEM.findall(retired.read_text())
    return halves


def _keep_publishing(folder: Path, halves: list[str]) -> list[str]:
    """Credentials handed out since the archive was written (signed with a key it lacks)
    are held by people: the keys' public halves stay published after the restore."""
    retired = folder / KEY_FILES["CREDENTIAL_RETIRED_KEYS"]
    text = retired.read_text() if retired.exists() else ""
    published = {*PUBLIC_PEM.findall(text), *_credential_halves(folder)[:1]}
    missing = [half for half in dict.fromkeys(halves) if half not in published]
    if not missing:
        return []
    text = (text.strip() + "\n" + "\n".join(missing)).strip() + "\n"
    write_key_file(retired, text)
    current_app.config["CREDENTIAL_RETIRED_KEYS"] = text.strip()
    return [
        f"{len(missing)} credential key(s) this server used after the archive was written "
        f"stay published (their public halves are added to {retired.name})."
    ]


def _restore_keys(work: Path) -> list[str]:
    """Write the archive's keys into the instance folder and use them from now on."""
    config, notes = current_app.config, []
    folder = Path(current_app.instance_path)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    used = _credential_halves(folder)
    for name, file_name in KEY_FILES.items():
        kept = work / "keys" / file_name
        value = kept.read_text() if kept.exists() else ""  # an archive from before that key
        target = folder / file_name
        if target.exists() and target.read_text().strip() != value.strip():
            # Never destroy a key: whatever it signed may still need it.
            target.replace(target.with_name(f"{file_name}.before-restore-{stamp}"))
        if value.strip():
            write_key_file(target, value.strip() + "\n")
        from_environment = os.environ.get(name, "").strip()
        differs = from_environment and from_environment != value.strip()
        if name == "CREDENTIAL_RETIRED_KEYS":  # the archive holds the environment's and more
            differs = differs and from_environment.replace("\\n", "\n") not in value
        if differs:
            notes.append(
                f"{name} is set in the environment and differs from the archive's: "
                f"set it to the restored value in {target} before starting the server."
            )
        if name == "CERTIFICATE_RETIRED_KEYS":
            config[name] = [line for line in value.split() if line]
        else:
            config[name] = value.strip()
    return notes + _keep_publishing(folder, used)


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--passphrase-env", metavar="NAME", help="The archive's passphrase is in this variable."
)
@click.option("--force", is_flag=True, help="Overwrite a database that already holds records.")
@with_appcontext
def restore_command(path: str, passphrase_env: str | None, force: bool) -> None:
    """Bring back a backup (database and keys), then verify the audit trail and certificates."""
    passphrase = _passphrase(passphrase_env)
    if not force and not _is_empty():
        raise click.ClickException(
            "The database already holds records: restoring would replace them. "
            "Run again with --force to overwrite it."
        )
    with tempfile.TemporaryDirectory(prefix="training-restore-") as folder:
        work = Path(folder)
        manifest = _read_archive(path, passphrase, work)
        db.session.remove()
        db.engine.dispose()
        database.load(current_app.config["SQLALCHEMY_DATABASE_URI"], work / manifest["database"])
        notes = _restore_keys(work)
    db.engine.dispose()
    from core.database import migrate_database

    migrate_database()  # an archive from an older version gets the newer schema
    click.echo(f"Restored {path}, written {manifest['created_at']}.")
    notes += _set_aside_heads(manifest)
    failures = _verify(manifest)
    for note in notes:
        click.echo(note, err=True)
    for line in failures:
        click.echo(line, err=True)
    if failures:
        raise SystemExit(1)


def _set_aside_heads(manifest: dict) -> list[str]:
    """Say what the archive lacks of the trail this server wrote, then keep that record
    aside: it describes the trail before the restore, no longer the one restored."""
    seen = last_seen()
    if seen is None:
        return []
    notes = []
    holds = db.session.scalar(select(func.count()).select_from(AuditEntry))
    if seen[0] > holds:
        notes.append(
            f"This server saw the audit trail reach {seen[0]} entries at {seen[2]}; the archive "
            f"holds {holds}. The {seen[0] - holds} entries written after "
            f"{manifest['created_at']} are not restored, nor the changes they record: "
            "certificates issued, approved or revoked since then are as they were."
        )
    kept = set_aside("before-restore-" + utcnow().strftime("%Y%m%dT%H%M%S"))
    notes.append(f"What this server wrote of the trail before is kept as {kept.name}.")
    return notes


def _verify(manifest: dict) -> list[str]:
    failures = []
    counts = database.counts()
    for name, expected in manifest["counts"].items():
        if counts.get(name) != expected:
            failures.append(
                f"The archive counted {expected} {name}, the database holds {counts.get(name)}."
            )
    click.echo("Restored: " + ", ".join(f"{count} {name}" for name, count in counts.items()) + ".")
    failures += verify_trail()
    for check in current_app.extensions.get("restore_checks", []):
        failures += check()
    return failures
