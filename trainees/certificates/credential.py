"""A certificate as an Open Badges 3.0 credential, signed as a VC-JWT (EdDSA, Ed25519).

The credential's `id` is the public verification page; its `credentialStatus`
points at the verification API, which answers `valid: false` once the certificate
is revoked, superseded or expired. The holder is named, and identified by a salted
hash of their personal number, never the number itself. Signing is PyJWT's.
"""

import hashlib
import secrets
from datetime import UTC, date, datetime, time

import jwt
from flask import current_app

from courses.models import Enrolment
from extensions import db
from trainees.certificates.keys import private_key, public_jwk
from trainees.certificates.models import Certificate
from trainees.certificates.pdf import verification_url
from trainees.models import Trainee

CONTEXTS = [
    "https://www.w3.org/2018/credentials/v1",
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


def credential_claims(certificate: Certificate) -> dict:
    """The Open Badges 3.0 credential and the JWT claims around it (VC-JWT)."""
    base = current_app.config["PUBLIC_BASE_URL"]
    enrolment = db.session.get(Enrolment, certificate.enrolment_id)
    trainee = db.session.get(Trainee, enrolment.trainee_id)
    salt = secrets.token_hex(8)
    issuer = {
        "id": base,
        "type": ["Profile"],
        "name": " / ".join(certificate.issuers) or base,
    }
    achievement = {
        "id": f"{base}/achievements/{certificate.course_code}",
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
        "tag": [module["code"] for module in certificate.modules],
    }
    subject_id = f"urn:uuid:{_uuid_of(certificate, trainee)}"
    credential = {
        "@context": CONTEXTS,
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.qualification,
        "issuer": issuer,
        "issuanceDate": _iso(certificate.issued_on),
        "expirationDate": _iso(certificate.expires_on),
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
            "results": certificate.modules,
        },
        "credentialStatus": {
            "id": f"{base}/api/v1/verify/{certificate.verification_code}",
            "type": STATUS_TYPE,
        },
    }
    return {
        "iss": base,
        "sub": subject_id,
        "jti": credential["id"],
        "nbf": int(_moment(certificate.issued_on).timestamp()),
        "iat": int(_moment(certificate.issued_on).timestamp()),
        "exp": int(_moment(certificate.expires_on).timestamp()),
        "vc": credential,
    }


def _uuid_of(certificate: Certificate, trainee: Trainee) -> str:
    """A stable, opaque subject id for the trainee: the same in each of their credentials."""
    digest = hashlib.sha256(
        f"{current_app.config['PUBLIC_BASE_URL']}|{trainee.id}".encode()
    ).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


def credential_jwt(certificate: Certificate) -> str:
    """The signed credential, compact JWS: header names `kid` and `alg` EdDSA."""
    headers = {"kid": public_jwk()["kid"], "typ": "JWT"}
    return jwt.encode(
        credential_claims(certificate), private_key(), algorithm="EdDSA", headers=headers
    )
