"""How a request is tied to an account: a session cookie, or a bearer token.

Under /api/ no session is opened at all (see ApiAwareSessionInterface), so a
browser's cookie never authorises an API call: only `Authorization: Bearer`.
Elsewhere (pages and files) the cookie is used, and a bearer token is accepted
for the files that scripts download.
"""

import hmac

from flask.sessions import SecureCookieSessionInterface

from auth.models import User
from auth.operations import token_record
from extensions import db, login_manager


class ApiAwareSessionInterface(SecureCookieSessionInterface):
    """No cookie session under /api/: reads find nothing, nothing is ever set."""

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.null_session_class()
        return super().open_session(app, request)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, session_token = (session_id or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, session_token):
        return None  # signed out elsewhere or password changed: this cookie is dead
    return user


@login_manager.request_loader
def load_user_from_bearer(request) -> User | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    record = token_record(token.strip())
    if record is None or not record.user.active:
        return None
    return record.user
