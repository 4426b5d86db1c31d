"""Changes to accounts and tokens. Services flush; the caller commits."""

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from sqlalchemy import bindparam, delete, event, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from auth import throttling
from auth.signatories import SIGNATORY_FIELDS, apply_signatory, signatory_problems
from core import audit, clock, names
from core.api import MAX_ID
from core.database import prebuilt
from core.errors import Conflict, Invalid
from core.search_text import search_index
from extensions import db
from models import Trainee
from models.account import ApiToken, Role, User, UserSession

# Same cost as a real check, so an unknown e-mail takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password-of-anyone")

WRONG_CREDENTIALS = _l("Invalid e-mail or password.")
ACCOUNT_INACTIVE = _l("This account is deactivated. Ask an administrator.")


class SignInRefused(Exception):
    def __init__(self, message, retry_after: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.retry_after = retry_after  # seconds, when the account is locked for a while


def normalise_email(raw: str) -> str:
    """The canonical, lower-case form of an e-mail; Invalid when it is not one."""
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        # Said in the reader's language: the library's own reason is English only.
        said = _l("Not a valid e-mail address: write it as name@example.org.")
        raise Invalid(_l("Enter a valid e-mail address."), {"email": [said]}) from error


@cache
def common_passwords() -> frozenset[str]:
    lines = (Path(__file__).parent / "common_passwords.txt").read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """Why a new password is refused, in words, or None when it is acceptable."""
    low = current_app.config["PASSWORD_MIN_LENGTH"]
    high = current_app.config["PASSWORD_MAX_LENGTH"]
    if len(password or "") < low:
        return str(_l("The password must have at least %(n)d characters.", n=low))
    if len(password) > high:
        return str(_l("The password must have at most %(n)d characters.", n=high))
    if password.lower() in common_passwords() or len(set(password)) <= 2:
        return str(_l("This password is among the most common ones: choose another."))
    return None


def _trainee_exists(trainee_id: int) -> bool:
    if not 1 <= trainee_id <= MAX_ID:
        return False
    return db.session.scalar(select(Trainee.id).where(Trainee.id == trainee_id)) is not None


def name_problem(full_name: str | None) -> str | None:
    name = (full_name or "").strip()
    if not name:
        return str(_l("Enter the full name."))
    if len(name) > 200:
        return str(_l("The name must have at most %(n)d characters.", n=200))
    problem = names.name_problem(name)
    return str(problem) if problem else None


def hash_password(password: str) -> str:
    return generate_password_hash(
        password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    )


def find_user_by_email(email: str) -> User | None:
    """The account of an e-mail as typed at sign-in (normalised as when it was created)."""
    try:
        canonical = normalise_email(email)
    except Invalid:
        canonical = (email or "").strip().lower()
    return db.session.scalar(select(User).where(User.email == canonical))


def create_user(
    *,
    email: str,
    password: str,
    role: str,
    full_name: str,
    trainee_id: int | None = None,
    active: bool = True,
    organisation_id: int | None = None,
    position: str = "",
    rank: str = "",
    approver: bool = False,
) -> User:
    """A new account; Invalid for bad values, Conflict for an e-mail already used."""
    problems: dict[str, list] = {}
    try:
        email = normalise_email(email)
    except Invalid as error:
        problems.update(error.fields)
    if role not in set(Role):
        problems["role"] = [_l("Choose administrator, instructor or trainee.")]
    if problem := name_problem(full_name):
        problems["full_name"] = [problem]
    if problem := password_problem(password):
        problems["password"] = [problem]
    if trainee_id is not None and role != Role.TRAINEE:
        problems["trainee_id"] = [_l("Only a trainee account is linked to a trainee.")]
    elif role == Role.TRAINEE and trainee_id is None:
        problems["trainee_id"] = [_l("A trainee's account belongs to a trainee record.")]
    elif trainee_id is not None and not _trainee_exists(trainee_id):
        problems["trainee_id"] = [_l("There is no trainee record with this number.")]
    signatory = {
        "organisation_id": organisation_id,
        "position": position,
        "rank": rank,
        "approver": approver,
    }
    problems.update(signatory_problems(signatory, role))
    if problems:
        raise Invalid(_l("Some values are not valid."), problems)
    if find_user_by_email(email) is not None:
        raise Conflict(
            _l("An account with this e-mail already exists."),
            {"email": [_l("An account with this e-mail already exists.")]},
        )
    if trainee_id is not None and db.session.scalar(
        select(User.id).where(User.trainee_id == trainee_id)
    ):
        message = _l("This trainee already has an account.")
        raise Conflict(message, {"trainee_id": [message]})
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        password_hash=hash_password(password),
        trainee_id=trainee_id,
        active=active,
    )
    apply_signatory(user, signatory)
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
    elif changes.get("role", user.role) != user.role and user.trainee_id is not None:
        problems["role"] = [_l("This account belongs to a trainee record; its role stays trainee.")]
    if "full_name" in changes and (problem := name_problem(changes["full_name"])):
        problems["full_name"] = [problem]
    if "password" in changes and (problem := password_problem(changes["password"])):
        problems["password"] = [problem]
    signatory = {name: getattr(user, name) for name in SIGNATORY_FIELDS}
    signatory.update({name: changes[name] for name in SIGNATORY_FIELDS if name in changes})
    problems.update(signatory_problems(signatory, changes.get("role", user.role)))
    if problems:
        raise Invalid(_l("Some values are not valid."), problems)
    apply_signatory(user, changes)
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


def change_own_account(
    user: User, language: str | None, current_password: str, new_password: str
) -> User:
    """One's own interface language and, given the current password, a new password.

    A new password signs out every other browser and token; this browser gets a new
    session, which the caller signs in.
    """
    if new_password:
        # Every problem at once, each next to its field.
        problems = {}
        if not current_password:
            problems["current_password"] = [_l("Enter your current password to set a new one.")]
        elif not check_password_hash(user.password_hash, current_password):
            problems["current_password"] = [_l("This is not your current password.")]
        if problem := password_problem(new_password):
            problems["new_password"] = [problem]
        if problems:
            raise Invalid(next(iter(problems.values()))[0], problems)
    user.language = language or None
    if new_password:
        user.password_hash = hash_password(new_password)
        end_sessions(user)
        db.session.flush()
        start_session(user)
    db.session.flush()
    return user


def _throttle_key(email: str) -> str:
    try:
        return normalise_email(email)
    except Invalid:
        return (email or "").strip().lower()[:254]


def authenticate(email: str, password: str, device: str | None = None) -> User:
    """The account these credentials open, or SignInRefused with a message.

    Failures slow down the client that makes them (auth/throttling.py): a stranger's
    guesses lock the stranger, not the account's owner. `device` is the browser's
    remembered-device cookie, if any. The caller commits, failures included.
    """
    key = _throttle_key(email)
    user = find_user_by_email(email)
    user_id = user.id if user is not None else None
    wait = throttling.wait_seconds(key, user_id, device)
    if wait:
        check_password_hash(_DUMMY_HASH, password or "")
        minutes = max(1, (wait + 59) // 60)
        message = _ln(
            "Too many failed sign-ins with this e-mail. Try again in %(num)d minute.",
            "Too many failed sign-ins with this e-mail. Try again in %(num)d minutes.",
            minutes,
        )
        raise SignInRefused(message, retry_after=wait)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        right = False
    else:
        right = check_password_hash(user.password_hash, password or "")
    if not right:
        throttling.count_failure(key, user_id, device)
        raise SignInRefused(WRONG_CREDENTIALS)
    throttling.forget_failures(key, user.id, device)
    if not user.active:
        raise SignInRefused(ACCOUNT_INACTIVE)
    audit.record(
        "sign_in", "security", entity_id=user.id, after={"email": user.email}, user_id=user.id
    )
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """A new browser session for the account; the key goes into the signed cookie."""
    key = secrets.token_urlsafe(32)
    now = clock.now()  # the same clock the idle and absolute limits are measured by
    _forget_ended(user, now)
    db.session.add(UserSession(user=user, key_hash=_digest(key), created_at=now, last_seen_at=now))
    db.session.flush()
    user.session_key = key
    return key


# The statements every signed-in request runs, built once (core.database.prebuilt).
@prebuilt
def _session_by_key():
    return (
        select(UserSession)
        .where(UserSession.key_hash == bindparam("key_hash"))
        .options(joinedload(UserSession.user))  # every request needs both: one statement
    )


@prebuilt
def _token_by_hash():
    return (
        select(ApiToken)
        .where(ApiToken.token_hash == bindparam("token_hash"))
        .options(joinedload(ApiToken.user))
    )


def session_record(key: str) -> UserSession | None:
    if not key:
        return None
    return db.session.scalar(_session_by_key(), {"key_hash": _digest(key)})


def end_session(key: str | None) -> None:
    """Sign one browser out: its cookie, even copied, no longer opens anything."""
    record = session_record(key or "")
    if record is not None:
        db.session.delete(record)
        db.session.flush()


def end_sessions(user: User) -> None:
    """Every browser session and API token of this account stops being valid."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.expire(user, ["sessions", "tokens"])


def _forget_ended(user: User, now: datetime) -> None:
    """The account's sessions past their absolute limit and its expired tokens, deleted.

    Nothing else removes a session whose browser was simply closed, or a script's old
    tokens: without this they would pile up for years. A session that is idle but still
    within its twelve hours stays: it is deleted when its cookie comes back, or here later.
    """
    oldest = now - timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.created_at < oldest)
    )
    db.session.execute(
        delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at <= now)
    )


def issue_token(user: User) -> tuple[str, datetime]:
    """A new bearer token for the account; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    _forget_ended(user, clock.now())
    expires_at = clock.now() + timedelta(hours=current_app.config["API_TOKEN_HOURS"])
    db.session.add(ApiToken(user=user, token_hash=_digest(token), expires_at=expires_at))
    db.session.flush()
    return token, expires_at


def token_record(token: str) -> ApiToken | None:
    """The stored token for a bearer value, if it exists and has not expired."""
    if not token:
        return None
    record = db.session.scalar(_token_by_hash(), {"token_hash": _digest(token)})
    if record is None or record.expires_at <= clock.now():
        return None
    return record


def revoke_token(token: str) -> bool:
    record = token_record(token)
    if record is None:
        return False
    db.session.delete(record)
    db.session.flush()
    return True


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _fold_for_search(_mapper, _connection, user: User) -> None:
    """The accounts page finds an account by its name or e-mail however they are typed."""
    user.search_text = search_index(f"{user.full_name} {user.email}")[:600]
