"""A certificate as an Open Badges 3.0 credential, signed as a VC-JWT (EdDSA, Ed25519).

As Open Badges 3.0 secures a credential with a JWT, the payload is the credential
itself (W3C VC Data Model 2.0), with the registered claims that mirror it: `iss`
(issuer.id), `jti` (id), `sub` (credentialSubject.id), `nbf` (validFrom) and `exp`
(validUntil). The credential's `id` is the public verification page; its
`credentialStatus` points at the verification API, which answers `valid: false`
once the certificate is revoked, superseded or expired. The holder is named, and
identified by a salted hash of their personal number, never the number itself.
Signing is PyJWT's.
"""

import hashlib
import secrets
from datetime import UTC, date, datetime, time

import jwt
from flask import current_app

from extensions import db
from models import Certificate, Enrolment, Trainee
from trainees.certificates.keys import private_key, public_jwk
from trainees.certificates.pdf import verification_url

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
STATUS_TYPE = "CertificateVerificationService"  # GET it: `valid` true or false


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _iso(day: date) -> str:
    return _moment(day).isoformat().replace("+00:00", "Z")


def identity_hash(personal_number: str, organisation_code: str, salt: str) -> str:
    """OB 3.0's `sha256$` identity hash of the personal number (unique per organisation)."""
    value = f"{organisation_code}:{personal_number}{salt}"
    return "sha256$" + hashlib.sha256(value.encode()).hexdigest()


def _achievement(certificate: Certificate, base: str) -> dict:
    """What was achieved; each module is a result description the subject's results name."""
    achievement_id = f"{base}/achievements/{certificate.course_code}"
    return {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": certificate.qualification,
        "description": certificate.course_title,
        "humanCode": certificate.course_code,
        "criteria": {
            "narrative": "; ".join(
                f"{module['code']} {module['title']} ({module['hours']} h)"
                for module in certificate.modules
            )
        },
        "resultDescription": [
            {
                "id": f"{achievement_id}#module-{module['code']}",
                "type": ["ResultDescription"],
                "name": f"{module['code']} {module['title']} ({module['hours']} h)",
                "resultType": "Status" if module["result"] == "passed" else "Percent",
            }
            for module in certificate.modules
        ],
    }


def _results(certificate: Certificate, achievement_id: str) -> list[dict]:
    results = []
    for module in certificate.modules:
        result = {
            "type": ["Result"],
            "resultDescription": f"{achievement_id}#module-{module['code']}",
        }
        if module["result"] == "passed":
            result["status"] = "Completed"
        else:
            result["value"] = module["result"]
        results.append(result)
    return results


def credential_claims(certificate: Certificate) -> dict:
    """The Open Badges 3.0 credential, with the JWT claims that mirror it."""
    base = current_app.config["PUBLIC_BASE_URL"]
    enrolment = db.session.get(Enrolment, certificate.enrolment_id)
    trainee = db.session.get(Trainee, enrolment.trainee_id)
    salt = secrets.token_hex(8)
    achievement = _achievement(certificate, base)
    subject_id = f"urn:uuid:{_uuid_of(trainee)}"
    credential = {
        "@context": CONTEXTS,
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.qualification,
        "issuer": {
            "id": base,
            "type": ["Profile"],
            "name": " / ".join(certificate.issuers) or base,
        },
        "validFrom": _iso(certificate.issued_on),
        "validUntil": _iso(certificate.expires_on),
        "credentialSubject": {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "name": certificate.holder_name,
            "nameLatin": certificate.holder_name_latin,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": True,
                    "salt": salt,
                    "identityHash": identity_hash(
                        trainee.personal_number, trainee.organisation.code, salt
                    ),
                }
            ],
            "achievement": achievement,
            "creditsEarned": certificate.hours,
            "activityStartDate": _iso(certificate.course_start),
            "activityEndDate": _iso(certificate.course_end),
            "result": _results(certificate, achievement["id"]),
        },
        "credentialStatus": {
            "id": f"{base}/api/v1/verify/{certificate.verification_code}",
            "type": STATUS_TYPE,
        },
    }
    return {
        **credential,
        "iss": base,
        "jti": credential["id"],
        "sub": subject_id,
        "nbf": int(_moment(certificate.issued_on).timestamp()),
        "exp": int(_moment(certificate.expires_on).timestamp()),
    }


def _uuid_of(trainee: Trainee) -> str:
    """A stable, opaque subject id for the trainee: the same in each of their credentials."""
    digest = hashlib.sha256(
        f"{current_app.config['PUBLIC_BASE_URL']}|{trainee.id}".encode()
    ).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


def credential_jwt(certificate: Certificate) -> str:
    """The signed credential, compact JWS: the header names `kid` and `alg` EdDSA."""
    key = private_key()  # read once: a rotation between two reads would name the wrong kid
    headers = {"kid": public_jwk(key)["kid"], "typ": "JWT"}
    return jwt.encode(credential_claims(certificate), key, algorithm="EdDSA", headers=headers)
