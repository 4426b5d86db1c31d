"""How a request is tied to an account: a session cookie, or a bearer token.

Under /api/ no session is opened at all (see ApiAwareSessionInterface), so a
browser's cookie never authorises an API call: only `Authorization: Bearer`.
Elsewhere (pages and files) the cookie is used, and a bearer token is accepted
for the files that scripts download.
"""

from datetime import timedelta

from flask import current_app
from flask.sessions import SecureCookieSessionInterface

from auth.accounts import session_record, token_record
from core import clock
from extensions import db, login_manager
from models.account import User


class ApiAwareSessionInterface(SecureCookieSessionInterface):
    """No cookie session under /api/: reads find nothing, nothing is ever set."""

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.null_session_class()
        return super().open_session(app, request)


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    """The account of a browser session that still exists, and is neither idle nor old.

    A session ends after 30 minutes without a request, and 12 hours after sign-in
    whatever happens; its row is then deleted, so its cookie opens nothing again.
    """
    record = session_record(session_key)
    if record is None or not record.user.active:
        return None
    now = clock.now()
    config = current_app.config
    idle = now - record.last_seen_at > timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    old = now - record.created_at > timedelta(hours=config["SESSION_MAX_HOURS"])
    if idle or old:
        db.session.delete(record)
        db.session.commit()
        return None
    if now - record.last_seen_at > timedelta(minutes=1):
        record.last_seen_at = now  # written at most once a minute, not on every request
        db.session.commit()
    record.user.session_key = session_key
    return record.user


@login_manager.request_loader
def load_user_from_bearer(request) -> User | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    record = token_record(token.strip())
    if record is None or not record.user.active:
        return None
    return record.user
