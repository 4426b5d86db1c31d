"""Sign-in throttling that slows guessing without letting a stranger lock anyone out.

The scheme is OWASP's "Slow Down Online Guessing Attacks with Device Cookies"
(ASVS 2.2.1):
- failures count per account and *client*: the address, or the remembered-device
  cookie when the browser holds a valid one for that account. Five failures within
  the window lock that client only, for a delay that doubles with every lock
  (1, 2, 4 ... minutes, at most SIGN_IN_MAX_LOCK_MINUTES);
- the account as a whole is locked (shorter) only when failures come from many
  addresses at once, a distributed attack; a remembered device still signs in;
- failures with e-mails that belong to no account are counted per address, in one
  row, and written to the audit trail once a minute with the count of the minute
  before, so a flood of them costs one row update each;
- failures with an account's e-mail count in that address's row too (unless from a
  browser the account remembers), and its lock holds for them: otherwise, once the
  address was locked for unknown e-mails, an answer of 401 instead of 429 told that
  an e-mail has an account. A quiet day after a lock starts its delays again at one
  minute, so an office behind one address is not kept out longer and longer.
"""

import hashlib
from datetime import datetime, timedelta

from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from core import audit, clock
from extensions import db
from models import SignInCounter

DEVICE_COOKIE = "remembered_device"
DEVICE_DAYS = 180


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:64]


def address() -> str:
    return (request.remote_addr or "")[:64] if has_request_context() else "cli"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="remembered-device")


def device_cookie_for(user_id: int, device: str | None) -> str:
    """The cookie value a browser keeps after a successful sign-in (a new device id if none)."""
    known = device_of(device)
    device_id = known[1] if known else _digest(str(clock.now()), str(user_id), address())[:24]
    return _serializer().dumps([user_id, device_id])


def device_of(cookie: str | None) -> tuple[int, str] | None:
    """(user id, device id) of a genuine cookie not older than DEVICE_DAYS, else None."""
    if not cookie:
        return None
    try:
        user_id, device_id = _serializer().loads(cookie, max_age=DEVICE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    return int(user_id), str(device_id)


def _counter(key: str) -> SignInCounter:
    counter = db.session.get(SignInCounter, key)
    if counter is None:
        counter = SignInCounter(key=key, failure_times=[], addresses=[], locks=0, minute_count=0)
        db.session.add(counter)
    return counter


def _recent(counter: SignInCounter, now: datetime) -> list[str]:
    window = timedelta(minutes=current_app.config["SIGN_IN_WINDOW_MINUTES"])
    return [t for t in counter.failure_times if now - datetime.fromisoformat(t) < window]


def _remembered(user_id: int | None, device: str | None) -> bool:
    """Does this browser hold a genuine cookie of this account's earlier sign-in?"""
    known = device_of(device)
    return user_id is not None and known is not None and known[0] == user_id


def _address_key() -> str:
    return "unknown:" + _digest(address())  # the name it had when it counted only those


def client_key(email: str, user_id: int | None, device: str | None) -> str:
    if _remembered(user_id, device):
        return "client:" + _digest(email, "device", device_of(device)[1])
    if user_id is None:  # an e-mail of nobody: one counter per address, whatever the e-mail
        return _address_key()
    return "client:" + _digest(email, address())


def wait_seconds(email: str, user_id: int | None, device: str | None) -> int:
    """Seconds this client must wait before trying this account, 0 when it may try now."""
    now = clock.now()
    keys = [client_key(email, user_id, device)]
    if user_id is not None and not _remembered(user_id, device):
        keys += ["account:" + _digest(email), _address_key()]
    waits = [0]
    for key in keys:
        counter = db.session.get(SignInCounter, key)
        if counter is not None and counter.locked_until and counter.locked_until > now:
            waits.append(int((counter.locked_until - now).total_seconds()) + 1)
    return max(waits)


def count_failure(email: str, user_id: int | None, device: str | None) -> bool:
    """Count one failure (flush; the caller commits); True when it locked something."""
    config, now = current_app.config, clock.now()
    client = _counter(client_key(email, user_id, device))
    locked = _fail(client, now)
    if user_id is None:
        _audit_unknown(client, email, now)
        return locked
    if not _remembered(user_id, device):
        locked = _fail(_counter(_address_key()), now) or locked
    audit.record("sign_in_failed", "security", after={"email": email})
    account = _counter("account:" + _digest(email))
    account.failure_times = [*_recent(account, now), now.isoformat()]
    account.addresses = sorted({*account.addresses, address()})[-50:]
    many = len(account.addresses) >= config["SIGN_IN_ACCOUNT_ADDRESSES"]
    if many and len(account.failure_times) >= config["SIGN_IN_ACCOUNT_FAILURES"]:
        minutes = config["SIGN_IN_ACCOUNT_LOCK_MINUTES"]
        account.locked_until = now + timedelta(minutes=minutes)
        account.failure_times, account.addresses = [], []
        audit.record("sign_in_locked", "security", after={"email": email, "scope": "account"})
    elif locked:
        audit.record("sign_in_locked", "security", after={"email": email})
    return locked


def _fail(counter: SignInCounter, now: datetime) -> bool:
    """One more failure on a client's or an address's counter; True when it locks it."""
    config = current_app.config
    counter.failure_times = [*_recent(counter, now), now.isoformat()]
    if len(counter.failure_times) < config["SIGN_IN_MAX_FAILURES"]:
        return False
    if counter.locked_until and now - counter.locked_until > timedelta(days=1):
        counter.locks = 0  # a quiet day since its last lock: delays start again
    minutes = min(2**counter.locks, config["SIGN_IN_MAX_LOCK_MINUTES"])
    counter.locked_until, counter.failure_times = now + timedelta(minutes=minutes), []
    counter.locks += 1
    return True


def _audit_unknown(counter: SignInCounter, email: str, now: datetime) -> None:
    """One trail entry per address per minute, naming the previous minute's count."""
    minute = now.strftime("%Y-%m-%dT%H:%M")
    if counter.minute == minute:
        counter.minute_count += 1
        return
    audit.record(
        "sign_in_failed",
        "security",
        after={
            "email": email,
            "unknown_email": True,
            "earlier_minute": counter.minute,
            "earlier_failures": counter.minute_count,
        },
    )
    counter.minute, counter.minute_count = minute, 1


def forget_failures(email: str, user_id: int, device: str | None) -> None:
    """A successful sign-in clears its own client's count (never the account's lock)."""
    counter = db.session.get(SignInCounter, client_key(email, user_id, device))
    if counter is not None:
        db.session.delete(counter)


def remember_device(response, user_id: int, device: str | None) -> None:
    """After a successful sign-in: the browser is a device this account has used."""
    response.set_cookie(
        DEVICE_COOKIE,
        device_cookie_for(user_id, device),
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
