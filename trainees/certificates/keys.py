"""The Ed25519 key that signs certificates as verifiable credentials, and its JWKS.

The private key comes from CREDENTIAL_KEY (PEM, from the environment in production)
or is generated once into the instance folder, like the other keys. The public key
is published at /.well-known/jwks.json under a `kid` that is its RFC 7638 thumbprint,
so a verifier can tell which key signed a credential even after a rotation.

A credential lives in its holder's wallet for years: after a rotation, the public
halves of the earlier keys stay published (CREDENTIAL_RETIRED_KEYS and the instance
folder's credential_retired_keys.pem), so what they signed keeps verifying. Only the
public halves are kept: nothing can be signed with a retired key any more.
"""

import base64
import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import click
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from flask.cli import with_appcontext
from jwt.algorithms import OKPAlgorithm

from core.keys import write_key_file

KEY_FILE = "credential_key.pem"
# How long a verifier may keep /.well-known/jwks.json: a new key is known within this.
JWKS_MAX_AGE = 300
RETIRED_FILE = "credential_retired_keys.pem"
PUBLIC_PEM = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


def new_private_pem() -> str:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def credential_key_pem(instance_path: str) -> str:
    """CREDENTIAL_KEY from the environment, else the PEM kept in the instance folder."""
    pem = os.environ.get("CREDENTIAL_KEY", "").strip()
    if pem:
        return pem.replace("\\n", "\n")  # one-line environment values escape newlines
    path = Path(instance_path) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when several processes start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text()
    with os.fdopen(fd, "w") as handle:
        pem = new_private_pem()
        handle.write(pem)
    return pem


def private_key() -> Ed25519PrivateKey:
    pem = current_app.config.get("CREDENTIAL_KEY") or credential_key_pem(current_app.instance_path)
    return _load(pem)


@lru_cache(maxsize=8)
def _load(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("CREDENTIAL_KEY must be an Ed25519 private key (PEM, PKCS#8).")
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(key: Ed25519PrivateKey | None = None) -> dict:
    """The signing key's public half (or `key`'s) as a JWK with its thumbprint as `kid`."""
    return _jwk((key or private_key()).public_key())


def _jwk(public_key: Ed25519PublicKey) -> dict:
    jwk = OKPAlgorithm.to_jwk(public_key, as_dict=True)
    # RFC 7638: SHA-256 of the required members, sorted, without white space.
    required = {name: jwk[name] for name in ("crv", "kty", "x")}
    canonical = json.dumps(required, sort_keys=True, separators=(",", ":"))
    kid = _b64(hashlib.sha256(canonical.encode()).digest())
    return {**required, "kid": kid, "alg": "EdDSA", "use": "sig"}


def retired_public_pems(instance_path: str) -> list[str]:
    """The public halves of earlier keys: the environment's, then the instance folder's.

    Read on each use: a rotation by one process is published by every other at once.
    """
    text = os.environ.get("CREDENTIAL_RETIRED_KEYS", "").replace("\\n", "\n")
    path = Path(instance_path) / RETIRED_FILE
    if path.exists():
        text += "\n" + path.read_text()
    return PUBLIC_PEM.findall(text)


@lru_cache(maxsize=32)
def _load_public(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def check_retired_keys(instance_path: str) -> None:
    """Refuse to start with a retired key that cannot be read (raises ValueError)."""
    given = os.environ.get("CREDENTIAL_RETIRED_KEYS", "").strip()
    if given and not PUBLIC_PEM.search(given.replace("\\n", "\n")):
        raise ValueError("CREDENTIAL_RETIRED_KEYS holds no public key (PEM, BEGIN PUBLIC KEY).")
    for pem in retired_public_pems(instance_path):
        try:
            _load_public(pem)
        except ValueError as error:
            raise ValueError(
                f"A retired credential key is not an Ed25519 public key (PEM): {error}."
            ) from error


def jwks() -> dict:
    """The signing key first, then the retired ones, the latest first, each once."""
    keys = [public_jwk()]
    # A rotation stopped half-way leaves the signing key in the retired list too.
    for pem in reversed(retired_public_pems(current_app.instance_path)):
        key = _jwk(_load_public(pem))
        if all(key["kid"] != kept["kid"] for kept in keys):
            keys.append(key)
    return {"keys": keys}


def public_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def rotate_credential_key(instance_path: str) -> tuple[str, str]:
    """A new signing key in the instance folder; the old one's public half is kept.

    Returns (old kid, new kid). The retired list is written first: stopped half-way,
    the old key is still in place, never lost.
    """
    if os.environ.get("CREDENTIAL_KEY", "").strip():
        raise click.ClickException(
            "CREDENTIAL_KEY comes from the environment: set it to a new key and add the old "
            "one's public key to CREDENTIAL_RETIRED_KEYS instead (see the README)."
        )
    folder = Path(instance_path)
    old = _load(credential_key_pem(instance_path))
    retired = folder / RETIRED_FILE
    kept = retired.read_text() if retired.exists() else ""
    write_key_file(retired, kept + public_pem(old))
    new_pem = new_private_pem()
    write_key_file(folder / KEY_FILE, new_pem)
    return _jwk(old.public_key())["kid"], _jwk(_load(new_pem).public_key())["kid"]


@click.command("rotate-credential-key")
@with_appcontext
def rotate_credential_key_command() -> None:
    """Sign new credentials with a new key; earlier ones keep verifying with the JWKS."""
    old, new = rotate_credential_key(current_app.instance_path)
    click.echo(f"Credential key {old} retired (its public key stays published); new {new}.")
    click.echo(f"Verifiers that keep the published keys see the new one within {JWKS_MAX_AGE} s.")
