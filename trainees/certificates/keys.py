"""The Ed25519 key that signs certificates as verifiable credentials, and its JWKS.

The private key comes from CREDENTIAL_KEY (PEM, from the environment in production)
or is generated once into the instance folder, like the other keys. The public key
is published at /.well-known/jwks.json under a `kid` that is its RFC 7638 thumbprint,
so a verifier can tell which key signed a credential even after a rotation.
"""

import base64
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app
from jwt.algorithms import OKPAlgorithm

KEY_FILE = "credential_key.pem"


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


def public_jwk() -> dict:
    """The public key as a JWK with its thumbprint as `kid`, for EdDSA signatures."""
    jwk = OKPAlgorithm.to_jwk(private_key().public_key(), as_dict=True)
    # RFC 7638: SHA-256 of the required members, sorted, without white space.
    required = {name: jwk[name] for name in ("crv", "kty", "x")}
    canonical = json.dumps(required, sort_keys=True, separators=(",", ":"))
    kid = _b64(hashlib.sha256(canonical.encode()).digest())
    return {**required, "kid": kid, "alg": "EdDSA", "use": "sig"}


def jwks() -> dict:
    return {"keys": [public_jwk()]}
