"""Certificates as Open Badges 3.0 credentials (VC-JWT), checked with another library.

The app signs with PyJWT; these tests verify with joserfc against the JWKS the app
publishes, so a credential only passes if any standard verifier would accept it.
"""

import base64
import hashlib
import json
import os
import stat
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select

from app import create_app
from config import SettingError
from extensions import db
from models import CertificatePrint, Role, Trainee
from tests.conftest import test_config as config_for
from tests.factories import freeze
from tests.scenarios.certificates_api import issue, make_graduates
from trainees.certificates.keys import credential_key_pem, new_private_pem, private_key, public_pem

# The contract names `EdDSA` (RFC 8037), which VC-JWT and Open Badges verifiers expect;
# joserfc warns that RFC 9864 now prefers the name `Ed25519` for the same signature.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning")
DURING_VALIDITY = int(datetime(2022, 6, 1, tzinfo=UTC).timestamp())


@pytest.fixture
def graduate(app, client, accounts, monkeypatch):
    """Two graduates of a finished course; the first one's certificate, and a signing key."""
    app.config["CREDENTIAL_KEY"] = new_private_pem()
    setup = make_graduates(app, accounts, monkeypatch)
    setup.number = issue(client, setup).json["number"]
    setup.client = app.test_client()
    accounts.login(setup.admin, client=setup.client)
    return setup


def download(graduate) -> str:
    answer = graduate.client.get(f"/certificates/{graduate.number}.jwt")
    assert answer.status_code == 200, answer.text
    assert answer.mimetype == "application/jwt"
    return answer.text


def published_keys(app) -> KeySet:
    answer = app.test_client().get("/.well-known/jwks.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    for key in answer.json["keys"]:
        assert "d" not in key  # the private part is never published
    return KeySet.import_key_set(answer.json)


def verified(app, token: str, now: int = DURING_VALIDITY) -> dict:
    """Decoded with joserfc and the published keys; its time claims checked at `now`."""
    decoded = jwt.decode(token, published_keys(app), algorithms=["EdDSA"])
    jwt.JWTClaimsRegistry(now=now, exp={"essential": True}, nbf={"essential": True}).validate(
        decoded.claims
    )
    return {"header": decoded.header, "claims": decoded.claims}


def test_the_credential_verifies_with_the_published_keys(app, graduate):
    token = download(graduate)
    result = verified(app, token)
    header, claims = result["header"], result["claims"]
    kids = [key["kid"] for key in app.test_client().get("/.well-known/jwks.json").json["keys"]]
    assert header["alg"] == "EdDSA" and header["kid"] in kids
    credential = claims  # Open Badges 3.0: the payload is the credential itself
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/")
    assert claims["iss"] == credential["issuer"]["id"] == "http://verify.test"
    assert credential["issuer"]["name"] == "Ministry AZ-MES / Ministry RU-MCHS"
    assert claims["jti"] == credential["id"]
    assert credential["id"].startswith("http://verify.test/verify/")
    assert credential["validFrom"] == "2021-01-18T00:00:00Z"
    assert credential["validUntil"] == "2024-01-18T00:00:00Z"
    assert claims["nbf"] == int(datetime(2021, 1, 18, tzinfo=UTC).timestamp())
    assert claims["exp"] == int(datetime(2024, 1, 18, tzinfo=UTC).timestamp())
    subject = credential["credentialSubject"]
    assert (subject["name"], subject["nameLatin"]) == ("Əliyev Rauf", "Aliyev Rauf")
    assert subject["achievement"]["name"] == "EOD Level 1"
    assert subject["achievement"]["description"] == "Course CRS-1"
    assert subject["creditsEarned"] == 16
    assert claims["sub"] == subject["id"] and subject["id"].startswith("urn:uuid:")
    achievement = subject["achievement"]
    described = {d["id"]: (d["name"], d["resultType"]) for d in achievement["resultDescription"]}
    results = [
        (described[r["resultDescription"]], r.get("value"), r.get("status"))
        for r in subject["result"]
    ]
    assert results == [
        (("A Module A (8 h)", "Percent"), "85", None),
        (("B Module B (8 h)", "Status"), None, "Completed"),
    ]
    assert "A Module A (8 h)" in subject["achievement"]["criteria"]["narrative"]
    status = credential["credentialStatus"]
    assert status["id"].startswith("http://verify.test/api/v1/verify/")


def test_the_personal_number_is_carried_only_as_a_salted_hash(app, graduate):
    token = download(graduate)
    [identity] = verified(app, token)["claims"]["credentialSubject"]["identifier"]
    with app.app_context():
        trainee = db.session.get(Trainee, graduate.trainees[0])
        number, organisation = trainee.personal_number, trainee.organisation.code
    payload = json.dumps(verified(app, token)["claims"], ensure_ascii=False)
    assert number not in payload
    expected = hashlib.sha256(f"{organisation}:{number}{identity['salt']}".encode()).hexdigest()
    assert identity == {
        "type": "IdentityObject",
        "identityType": "identifier",
        "hashed": True,
        "salt": identity["salt"],
        "identityHash": f"sha256${expected}",
    }


def test_a_tampered_credential_fails(app, graduate):
    header, payload, signature = download(graduate).split(".")
    claims = json.loads(_unpad(payload))
    claims["credentialSubject"]["name"] = "Someone Else"
    forged = _pad(json.dumps(claims).encode())
    with pytest.raises(BadSignatureError):
        verified(app, f"{header}.{forged}.{signature}")
    # Signed by a key that is not (or no longer) published: refused too.
    app.config["CREDENTIAL_KEY"] = new_private_pem()
    unpublished = download(graduate)
    app.config["CREDENTIAL_KEY"] = new_private_pem()
    with pytest.raises(JoseError):
        verified(app, unpublished)


def _unpad(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _pad(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_an_expired_credential_fails_and_its_status_says_expired(
    app, accounts, graduate, monkeypatch
):
    token = download(graduate)
    after = int(datetime(2024, 2, 1, tzinfo=UTC).timestamp())
    with pytest.raises(ExpiredTokenError):
        verified(app, token, now=after)
    status_url = verified(app, token)["claims"]["credentialStatus"]["id"]
    freeze(monkeypatch, date(2024, 2, 1))
    answer = app.test_client().get(urlsplit(status_url).path)
    assert answer.status_code == 200
    assert (answer.json["valid"], answer.json["status"]) == (False, "expired")
    client = app.test_client()  # the earlier session ended years ago
    accounts.login(graduate.admin, client=client)
    assert client.get(f"/certificates/{graduate.number}.jwt").status_code == 409


def test_a_revoked_certificate_no_longer_verifies_at_its_status_url(app, graduate):
    token = download(graduate)
    status_url = verified(app, token)["claims"]["credentialStatus"]["id"]
    before = app.test_client().get(urlsplit(status_url).path).json
    assert (before["valid"], before["status"], before["number"]) == (True, "valid", graduate.number)
    revoked = graduate.client.post(
        f"/api/v1/certificates/{graduate.number}/revoke",
        headers=graduate.headers,
        json={"reason": "Issued in error"},
    )
    assert revoked.status_code == 200
    after = app.test_client().get(urlsplit(status_url).path).json
    assert (after["valid"], after["status"]) == (False, "revoked")
    refused = graduate.client.get(f"/certificates/{graduate.number}.jwt")
    assert refused.status_code == 409
    assert "Only a valid certificate" in refused.text


def test_the_holder_downloads_their_own_credential_and_no_one_else_does(app, accounts, graduate):
    holder = accounts.make(Role.TRAINEE, trainee_id=graduate.trainees[0])
    other = accounts.make(Role.TRAINEE, trainee_id=graduate.trainees[1])
    for account, status in ((holder, 200), (other, 403)):
        client = app.test_client()
        accounts.login(account, client=client)
        assert client.get(f"/certificates/{graduate.number}.jwt").status_code == status
    anonymous = app.test_client().get(f"/certificates/{graduate.number}.jwt")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_each_download_is_logged(app, graduate):
    download(graduate)
    with app.app_context():
        kinds = db.session.scalars(select(CertificatePrint.kind)).all()
    assert kinds == ["credential"]


def test_the_key_is_made_once_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CREDENTIAL_KEY", raising=False)
    first = credential_key_pem(str(tmp_path))
    assert first.startswith("-----BEGIN PRIVATE KEY-----")
    assert credential_key_pem(str(tmp_path)) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "credential_key.pem").st_mode)
    assert mode == 0o600
    from_environment = new_private_pem()
    monkeypatch.setenv("CREDENTIAL_KEY", from_environment.replace("\n", "\\n"))
    assert credential_key_pem(str(tmp_path)) == from_environment


def test_the_published_key_is_the_signing_key(app, graduate):
    keys = app.test_client().get("/.well-known/jwks.json").json["keys"]
    assert [(k["kty"], k["crv"], k["alg"], k["use"]) for k in keys] == [
        ("OKP", "Ed25519", "EdDSA", "sig")
    ]
    # The kid is the key's RFC 7638 thumbprint, as another implementation computes it.
    [key] = published_keys(app).keys
    assert key.thumbprint() == keys[0]["kid"]


def test_a_credential_signed_before_a_rotation_still_verifies(app, graduate, tmp_path, monkeypatch):
    """A holder's wallet keeps the credential for years; the server's key changes."""
    for name in ("CREDENTIAL_KEY", "CREDENTIAL_RETIRED_KEYS"):
        monkeypatch.delenv(name, raising=False)
    del app.config["CREDENTIAL_KEY"]  # the key lives in the instance folder, as deployed
    app.instance_path = str(tmp_path)
    before = download(graduate)

    result = app.test_cli_runner().invoke(args=["rotate-credential-key"])
    assert result.exit_code == 0, result.output
    after = download(graduate)
    published = app.test_client().get("/.well-known/jwks.json").json["keys"]
    old_kid = verified(app, before)["header"]["kid"]
    new_kid = verified(app, after)["header"]["kid"]
    assert old_kid != new_kid
    assert [key["kid"] for key in published] == [new_kid, old_kid]  # the signing key first
    assert f"Credential key {old_kid} retired" in result.output and new_kid in result.output

    retired = tmp_path / "credential_retired_keys.pem"
    assert stat.S_IMODE(os.stat(retired).st_mode) == 0o600
    assert "PRIVATE" not in retired.read_text()  # nothing can be signed with a retired key
    # A second rotation keeps both earlier keys published.
    assert app.test_cli_runner().invoke(args=["rotate-credential-key"]).exit_code == 0
    kids = [key["kid"] for key in app.test_client().get("/.well-known/jwks.json").json["keys"]]
    assert len(kids) == 3 and kids[1:] == [new_kid, old_kid]
    verified(app, before)

    # A rotation stopped after writing the retired list: the signing key is in it too,
    # and is still published once, first.
    with app.app_context():
        current = public_pem(private_key())
    retired.write_text(retired.read_text() + current)
    again = [key["kid"] for key in app.test_client().get("/.well-known/jwks.json").json["keys"]]
    assert again == kids


def test_a_key_from_the_environment_is_not_rotated_behind_its_back(app, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDENTIAL_KEY", new_private_pem().replace("\n", "\\n"))
    app.instance_path = str(tmp_path)
    result = app.test_cli_runner().invoke(args=["rotate-credential-key"])
    assert result.exit_code == 1
    assert "CREDENTIAL_KEY comes from the environment" in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_retired_keys_from_the_environment_are_published_and_checked_at_start(app, monkeypatch):
    old = public_pem(Ed25519PrivateKey.generate())
    monkeypatch.setenv("CREDENTIAL_RETIRED_KEYS", old.replace("\n", "\\n"))
    keys = app.test_client().get("/.well-known/jwks.json").json["keys"]
    assert len(keys) == 2
    assert KeySet.import_key_set({"keys": keys[1:]}).keys[0].as_pem(private=False).decode() == old

    monkeypatch.setenv("CREDENTIAL_RETIRED_KEYS", "not a key")
    with pytest.raises(SettingError, match="CREDENTIAL_RETIRED_KEYS holds no public key"):
        create_app(config_for(app.config["SQLALCHEMY_DATABASE_URI"]))
    p256 = ec.generate_private_key(ec.SECP256R1()).public_key()
    other = p256.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    monkeypatch.setenv("CREDENTIAL_RETIRED_KEYS", other)  # a real key, of another kind
    with pytest.raises(SettingError, match="not an Ed25519 public key"):
        create_app(config_for(app.config["SQLALCHEMY_DATABASE_URI"]))
