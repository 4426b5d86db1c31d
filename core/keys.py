"""The keys that live outside the database, their ids, and rotating the certificate key.

A key id is the first 16 hex digits of the SHA-256 of the key: it names a key
without revealing it, and anyone holding the key can compute it again, so a
certificate that records its key id can be checked with the right key after a
rotation, and the migration could give existing certificates the id of the key
that signed them without storing anything new.
"""

import hashlib
import os
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

# The files a backup carries and a restore writes back, as the setting each one holds.
KEY_FILES = {
    "SECRET_KEY": "secret_key",
    "CERTIFICATE_KEY": "certificate_key",
    "CERTIFICATE_RETIRED_KEYS": "certificate_retired_keys",
    "AUDIT_KEY": "audit_key",
    # The verifiable credentials' Ed25519 key (trainees/certificates/keys.py makes it),
    # and the public halves of the keys it replaced.
    "CREDENTIAL_KEY": "credential_key.pem",
    "CREDENTIAL_RETIRED_KEYS": "credential_retired_keys.pem",
}


def key_id(key: str) -> str:
    return hashlib.sha256(b"key-id:" + key.encode()).hexdigest()[:16]


def certificate_keyring(config=None) -> dict[str, str]:
    """Every certificate key that may have signed a record, by key id (current one first)."""
    config = config if config is not None else current_app.config
    keys = [config["CERTIFICATE_KEY"], *config.get("CERTIFICATE_RETIRED_KEYS", [])]
    return {key_id(key): key for key in keys}


def current_certificate_key_id() -> str:
    return key_id(current_app.config["CERTIFICATE_KEY"])


def write_key_file(path: Path, text: str) -> None:
    """Owner-only from its first byte: a key is never readable by others, even briefly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def rotate_certificate_key(instance_path: str) -> tuple[str, str]:
    """A new signing key in the instance folder; the old one joins the retired keys.

    Returns (old key id, new key id). Certificates keep the id of the key that signed
    them, so they keep verifying with the retired key; new ones use the new key.
    """
    if os.environ.get("CERTIFICATE_KEY", "").strip():
        raise click.ClickException(
            "CERTIFICATE_KEY comes from the environment: set it to a new key and add the "
            "old one to CERTIFICATE_RETIRED_KEYS instead (see the README)."
        )
    folder = Path(instance_path)
    current = folder / KEY_FILES["CERTIFICATE_KEY"]
    old = current.read_text().strip()
    retired = folder / KEY_FILES["CERTIFICATE_RETIRED_KEYS"]
    kept = retired.read_text().splitlines() if retired.exists() else []
    # The retired list first: if we stop half-way, the old key is never lost.
    write_key_file(retired, "\n".join([*kept, old]) + "\n")
    new = secrets.token_hex(32)
    write_key_file(current, new)
    return key_id(old), key_id(new)


@click.command("rotate-certificate-key")
@with_appcontext
def rotate_certificate_key_command() -> None:
    """Sign new certificates with a new key; earlier ones keep verifying with theirs."""
    old, new = rotate_certificate_key(current_app.instance_path)
    click.echo(f"Certificate key {old} retired; new certificates are signed with key {new}.")
    click.echo("Restart every server process so that all of them sign with the new key.")
