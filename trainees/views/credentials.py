"""The certificate as a verifiable credential (VC-JWT), and the keys that verify it."""

from flask import Response, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from auth.permissions import public, roles
from auth.policy import may_download_certificate, require
from core.errors import Conflict
from extensions import db
from models import Role
from trainees import bp
from trainees.certificates.access import certificate_or_404, log_prints
from trainees.certificates.credential import credential_jwt
from trainees.certificates.issuing import is_authentic, shown_status
from trainees.certificates.keys import JWKS_MAX_AGE, jwks


@bp.route("/certificates/<string(maxlength=20):number>.jwt")
@roles(Role.ADMIN, Role.TRAINEE)
def certificate_credential(number: str):
    """The certificate as an Open Badges 3.0 credential, signed: administrators, the holder."""
    certificate = certificate_or_404(number)
    require(may_download_certificate(current_user, certificate))
    if shown_status(certificate) != "valid" or not is_authentic(certificate):
        raise Conflict(_("Only a valid certificate can be downloaded as a credential."))
    log_prints([certificate], "credential")
    token = credential_jwt(certificate)
    db.session.commit()
    return Response(
        token,
        mimetype="application/jwt",
        headers={"Content-Disposition": f'attachment; filename="certificate-{number}.jwt"'},
    )


@bp.route("/.well-known/jwks.json")
@public
def credential_keys():
    """The public keys that sign the credentials (JWKS): anyone may verify."""
    response = jsonify(jwks())
    # Public keys: a verifier running in any web page may fetch them.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = JWKS_MAX_AGE  # short: a rotated key is known soon
    return response
