"""Fixtures: the app on SQLite and on PostgreSQL, clients, sign-in helpers, factories.

Every test that takes `app` runs twice: on a SQLite file and on a throwaway
PostgreSQL server that these fixtures start themselves (or the server named by
TEST_DATABASE_URL). Each database is migrated once per test session with the real
migrations; after every test its tables are emptied.
"""

import os
import re
import tempfile
import threading

import pytest
from sqlalchemy import event, text
from werkzeug.serving import make_server

from app import create_app
from auth.accounts import create_user
from config import TestConfig
from core.audit_heads import heads_file
from core.database import migrate_database
from extensions import db
from models.account import Role
from tests import services
from tests.factories import freeze, make_trainee

PASSWORD = "correct horse battery"
# The apps of the tests keep their keys here, never in the project's instance folder:
# a restore writes the archive's keys into it, which would leave a developer's own
# demo certificates failing their signatures. One folder per test process.
INSTANCE = tempfile.mkdtemp(prefix="training-test-instance-")


def unavailable(reason: str):
    """Skip with the reason, except in CI (CI=true), where a missing component fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def test_config(database_url: str) -> dict:
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = database_url
    config["INSTANCE_PATH"] = INSTANCE
    return config


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A PostgreSQL database for this test session (per xdist worker)."""
    try:
        server = services.PostgresServer.from_environment(tmp_path_factory)
    except services.Unavailable as missing:
        unavailable(str(missing))
    with server:
        yield server.create_database("training_test")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """The URL of a migrated, empty database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'training.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = create_app(test_config(url))
    with app.app_context():
        migrate_database()
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url):
    app = create_app(test_config(database_url))
    yield app
    with app.app_context():
        empty_all_tables()
        db.engine.dispose()
        heads = heads_file()
    # What the emptied trail reached (and any copy a restore set aside): the next test's
    # trail starts again from nothing.
    for written in heads.parent.glob(heads.name + "*"):
        written.unlink()


def empty_all_tables() -> None:
    tables = [table.name for table in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in reversed(tables):
            db.session.execute(text(f"DELETE FROM {name}"))
    # As the migration leaves it: the audit chain starts at its genesis hash.
    db.session.execute(
        text("INSERT INTO audit_head (id, last_hash, entries) VALUES (1, :h, 0)"), {"h": "0" * 64}
    )
    db.session.commit()


class QueryCounter:
    """Counts the SQL statements the app sends while it is active."""

    def __init__(self, app):
        self.app = app
        self.count = 0

    def _count(self, *_args, **_kwargs):
        self.count += 1

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter: ...; counter.count`"""
    return lambda: QueryCounter(app)


@pytest.fixture
def clock_at(monkeypatch):
    """Stop core.clock for this test: `clock_at(date)`, a datetime, or its parts.

    The one clock of the tests (tests.factories.freeze); undone when the test ends.
    """
    return lambda *when: freeze(monkeypatch, *when)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_in(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def post_form(client, url: str, data: dict, form_page: str | None = None, **kwargs):
    """Post a form the way a browser does: load its page, then send it with its token."""
    page = client.get(form_page or url)
    return client.post(url, data={"csrf_token": csrf_token_in(page.text), **data}, **kwargs)


class Accounts:
    """Make accounts and sign in as them, through the real sign-in form."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def make(self, role=Role.ADMIN, email=None, password=PASSWORD, **values) -> dict:
        """An account; a trainee's comes with a trainee record of its own."""
        email = email or f"{role}-{os.urandom(3).hex()}@example.org"
        if role == Role.TRAINEE and "trainee_id" not in values:
            values["trainee_id"] = make_trainee(self.app)
        with self.app.app_context():
            user = create_user(
                email=email,
                password=password,
                role=role,
                full_name=values.pop("full_name", f"Test {role}"),
                **values,
            )
            db.session.commit()
            return {
                "id": user.id,
                "email": user.email,
                "password": password,
                "role": role,
                "trainee_id": user.trainee_id,
            }

    def login(self, account: dict, client=None):
        return post_form(
            client or self.client,
            "/login",
            {"email": account["email"], "password": account["password"]},
        )

    def login_as(self, role=Role.ADMIN, **values) -> dict:
        account = self.make(role, **values)
        response = self.login(account)
        assert response.status_code == 302, response.text
        return account

    def token(self, account: dict) -> str:
        response = self.client.post(
            "/api/v1/tokens", json={"email": account["email"], "password": account["password"]}
        )
        assert response.status_code == 201, response.text
        return response.json["token"]

    def bearer(self, role=Role.ADMIN, **values) -> dict:
        """Authorization headers of a new account with this role."""
        return {"Authorization": f"Bearer {self.token(self.make(role, **values))}"}


@pytest.fixture
def accounts(app, client):
    return Accounts(app, client)


# --- the real browser -------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for the whole test session."""
    try:
        chromium = services.chromium_executable()
    except services.Unavailable as missing:
        unavailable(str(missing))
    from playwright.sync_api import expect, sync_playwright

    # A loaded machine (two workers, PostgreSQL) can be slow; slowness is not failure.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free local port, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A page on a 360 px wide phone screen."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
