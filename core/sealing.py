"""Encryption of a backup archive with a passphrase: scrypt, then AES-256-GCM.

GCM authenticates as well as hides: a wrong passphrase or a changed byte is
refused, never restored as garbage.
"""

import hashlib
import os

import click
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"training-backup aes-256-gcm scrypt v1\n"


def _key(passphrase: str, salt: bytes) -> bytes:
    # 2**15 x 8 x 128 bytes = 32 MiB per guess: slow for an attacker, quick enough once.
    return hashlib.scrypt(passphrase.encode(), salt=salt, n=2**15, r=8, p=1, maxmem=2**26, dklen=32)


def seal(data: bytes, passphrase: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    return MAGIC + salt + nonce + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, MAGIC)


def open_sealed(data: bytes, passphrase: str | None) -> bytes:
    """The archive's plain bytes; a plain archive passes through."""
    if not data.startswith(MAGIC):
        return data
    if not passphrase:
        raise click.ClickException(
            "The archive is encrypted: give its passphrase with --passphrase-env NAME."
        )
    body = data[len(MAGIC) :]
    salt, nonce, ciphertext = body[:16], body[16:28], body[28:]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, ciphertext, MAGIC)
    except InvalidTag as error:
        raise click.ClickException(
            "The passphrase is wrong or the archive was altered: nothing was restored."
        ) from error
