"""The app served by gunicorn on 127.0.0.1, and the headers of signed-in visitors."""

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.pages import ACCOUNTS, CSRF

ROOT = Path(__file__).resolve().parent.parent
# One browser signs in and then loads the pages, so it says the same User-Agent
# throughout. A different one (wrk's) makes Flask-Login's session protection mark the
# session not fresh on every request, which re-signs the cookie each time: a cost no
# real browser causes.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) bench"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving `create_app()` on a free port of 127.0.0.1 until the block ends."""

    def __init__(self, database_url: str, workers: int, threads: int = 1, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [
            str(Path(sys.executable).parent / "gunicorn"),
            f"--workers={workers}",
            f"--threads={threads}",
            f"--bind=127.0.0.1:{self.port}",
            f"--config={ROOT / 'bench' / 'gunicorn_none.py'}",  # not gunicorn.conf.py
            "--log-level=warning",
            "app:create_app()",
        ]
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": self.base,
            # The benchmark verifies from one address, far past the public limit.
            "VERIFY_RATE_LIMIT": "100000 per second",
            **(env or {}),
        }
        self.process = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2):  # noqa: S310  # nosec B310
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn stopped at start") from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def signed_in_headers(base: str, who: set) -> dict:
    """Request headers for each visitor: a session cookie, a bearer token, or nothing."""
    headers = {}
    for name in who:
        if name is None:
            headers[name] = {}
        elif name == "token":
            headers[name] = {"Authorization": f"Bearer {api_token(base, 'instructor')}"}
        else:
            headers[name] = {"Cookie": session_cookie(base, name), "User-Agent": BROWSER}
    return headers


def api_token(base: str, who: str) -> str:
    email, password = ACCOUNTS[who]
    request = urllib.request.Request(  # noqa: S310 - the bench's own server on 127.0.0.1
        base + "/api/v1/tokens",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310  # nosec B310
        return json.load(answer)["token"]


def session_cookie(base: str, who: str) -> str:
    """Sign in through the form, as a browser does; the cookies it was given."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", BROWSER)]
    with opener.open(base + "/login") as page:
        token = CSRF.search(page.read().decode()).group(1)
    email, password = ACCOUNTS[who]
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    with opener.open(base + "/login", data=form.encode()) as answer:
        if "/login" in answer.url:
            raise RuntimeError(f"{email} could not sign in")
    return "; ".join(f"{c.name}={c.value}" for c in jar)
