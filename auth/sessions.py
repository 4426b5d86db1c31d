"""How a request is tied to an account: a session cookie, or a bearer token.

Under /api/ no session is opened at all (see ApiAwareSessionInterface), so a
browser's cookie never authorises an API call: only `Authorization: Bearer`.
Elsewhere (pages and files) the cookie is used, and a bearer token is accepted
for the files that scripts download.
"""

from flask.sessions import SecureCookieSessionInterface

from auth.models import User
from auth.operations import session_record, token_record
from extensions import login_manager


class ApiAwareSessionInterface(SecureCookieSessionInterface):
    """No cookie session under /api/: reads find nothing, nothing is ever set."""

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.null_session_class()
        return super().open_session(app, request)


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    """The account of a browser session that still exists (not signed out since)."""
    record = session_record(session_key)
    if record is None or not record.user.active:
        return None
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
