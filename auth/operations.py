"""Changes to accounts and tokens. Services flush; the caller commits."""

import hashlib
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from auth.models import ApiToken, Role, User, new_session_token
from core.errors import Conflict, Invalid
from extensions import db, utcnow

# Same cost as a real check, so an unknown e-mail takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password-of-anyone")

WRONG_CREDENTIALS = _l("Invalid e-mail or password.")
ACCOUNT_INACTIVE = _l("This account is deactivated. Ask an administrator.")


class SignInRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalise_email(raw: str) -> str:
    """The canonical, lower-case form of an e-mail; Invalid when it is not one."""
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise Invalid(_l("Enter a valid e-mail address."), {"email": [str(error)]}) from error


def password_problem(password: str) -> str | None:
    """Why a new password is refused, in words, or None when it is acceptable."""
    low = current_app.config["PASSWORD_MIN_LENGTH"]
    high = current_app.config["PASSWORD_MAX_LENGTH"]
    if len(password or "") < low:
        return str(_l("The password must have at least %(n)d characters.", n=low))
    if len(password) > high:
        return str(_l("The password must have at most %(n)d characters.", n=high))
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(
        password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    )


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def create_user(
    *,
    email: str,
    password: str,
    role: str,
    full_name: str,
    trainee_id: int | None = None,
    active: bool = True,
) -> User:
    """A new account; Invalid for bad values, Conflict for an e-mail already used."""
    problems: dict[str, list] = {}
    try:
        email = normalise_email(email)
    except Invalid as error:
        problems.update(error.fields)
    if role not in set(Role):
        problems["role"] = [_l("Choose administrator, instructor or trainee.")]
    if not (full_name or "").strip():
        problems["full_name"] = [_l("Enter the full name.")]
    if problem := password_problem(password):
        problems["password"] = [problem]
    if trainee_id is not None and role != Role.TRAINEE:
        problems["trainee_id"] = [_l("Only a trainee account is linked to a trainee.")]
    if problems:
        raise Invalid(_l("Some values are not valid."), problems)
    if find_user_by_email(email) is not None:
        raise Conflict(
            _l("An account with this e-mail already exists."),
            {"email": [_l("An account with this e-mail already exists.")]},
        )
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        password_hash=hash_password(password),
        trainee_id=trainee_id,
        active=active,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, version: int, changes: dict, actor: User) -> User:
    """Change name, role, active flag or password; Conflict when `version` is stale."""
    if version != user.version:
        raise Conflict(_l("Someone else changed this account; reload it and try again."))
    if user.id == actor.id and (
        changes.get("active") is False or changes.get("role", user.role) != user.role
    ):
        # Otherwise the last administrator could lock everybody out.
        raise Conflict(_l("You cannot deactivate your own account or change its role."))
    problems: dict[str, list] = {}
    if "role" in changes and changes["role"] not in set(Role):
        problems["role"] = [_l("Choose administrator, instructor or trainee.")]
    if "full_name" in changes and not (changes["full_name"] or "").strip():
        problems["full_name"] = [_l("Enter the full name.")]
    if "password" in changes and (problem := password_problem(changes["password"])):
        problems["password"] = [problem]
    if problems:
        raise Invalid(_l("Some values are not valid."), problems)
    if "full_name" in changes:
        user.full_name = changes["full_name"].strip()
    if "role" in changes:
        user.role = changes["role"]
    if "active" in changes:
        user.active = changes["active"]
    if "password" in changes:
        user.password_hash = hash_password(changes["password"])
    if changes.get("password") or changes.get("active") is False:
        end_sessions(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User:
    """The account these credentials open, or SignInRefused with a message."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise SignInRefused(WRONG_CREDENTIALS)
    if not check_password_hash(user.password_hash, password or ""):
        raise SignInRefused(WRONG_CREDENTIALS)
    if not user.active:
        raise SignInRefused(ACCOUNT_INACTIVE)
    return user


def end_sessions(user: User) -> None:
    """Every browser session of this account stops being valid."""
    user.session_token = new_session_token()
    for token in list(user.tokens):
        db.session.delete(token)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, datetime]:
    """A new bearer token for the account; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=current_app.config["API_TOKEN_HOURS"])
    db.session.add(ApiToken(user=user, token_hash=_digest(token), expires_at=expires_at))
    db.session.flush()
    return token, expires_at


def token_record(token: str) -> ApiToken | None:
    """The stored token for a bearer value, if it exists and has not expired."""
    if not token:
        return None
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if record is None or record.expires_at <= utcnow():
        return None
    return record


def revoke_token(token: str) -> bool:
    record = token_record(token)
    if record is None:
        return False
    db.session.delete(record)
    db.session.flush()
    return True
