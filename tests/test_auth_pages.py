"""Signing in and out through the real forms, and each role's home page."""

import pytest
from sqlalchemy import select

from extensions import db
from models.account import Role, User
from tests.conftest import PASSWORD, csrf_token_in, post_form

WRONG = "Invalid e-mail or password."


def test_login_page_renders_form_with_csrf_token(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert 'name="email"' in response.text and 'name="password"' in response.text
    assert csrf_token_in(response.text)


def test_login_success_sends_admin_to_admin_home(client, accounts):
    account = accounts.make(Role.ADMIN)
    response = accounts.login(account)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin"
    home = client.get("/admin")
    assert home.status_code == 200
    assert "Administration" in home.text


def test_login_is_case_insensitive_in_the_email(client, accounts):
    account = accounts.make(Role.ADMIN, email="Leyla@Example.org")
    response = accounts.login({**account, "email": "LEYLA@EXAMPLE.ORG"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.org", PASSWORD), (None, "a wrong password")],
    ids=["unknown-email", "wrong-password"],
)
def test_login_failure_gives_the_same_message(client, accounts, email, password):
    account = accounts.make(Role.ADMIN)
    response = accounts.login({"email": email or account["email"], "password": password})
    assert response.status_code == 401
    assert WRONG in response.text
    assert client.get("/admin").status_code == 302  # still signed out


def test_login_refused_for_inactive_account(client, accounts):
    account = accounts.make(Role.INSTRUCTOR, active=False)
    response = accounts.login(account)
    assert response.status_code == 401
    assert "deactivated" in response.text
    assert client.get("/instructor").status_code == 302


def test_login_with_empty_fields_shows_messages_next_to_fields(client):
    response = post_form(client, "/login", {"email": "", "password": ""})
    assert response.status_code == 422
    assert response.text.count("invalid-feedback") == 2


def test_login_without_csrf_token_is_refused(client, accounts):
    account = accounts.make(Role.ADMIN)
    response = client.post("/login", data={"email": account["email"], "password": PASSWORD})
    assert response.status_code == 400
    assert "it may have expired" in response.text
    assert client.get("/admin").status_code == 302


def test_login_with_forged_csrf_token_is_refused(client, accounts):
    account = accounts.make(Role.ADMIN)
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": account["email"], "password": PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 400


def test_login_follows_next_on_this_site_only(client, accounts):
    account = accounts.make(Role.ADMIN)
    page = client.get("/login?next=/users")
    response = client.post(
        "/login?next=/users",
        data={"csrf_token": csrf_token_in(page.text), **account},
    )
    assert response.headers["Location"] == "/users"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_ignores_next_pointing_elsewhere(client, accounts, target):
    account = accounts.make(Role.ADMIN)
    page = client.get("/login")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"csrf_token": csrf_token_in(page.text), **account},
    )
    assert response.headers["Location"] == "/admin"


@pytest.mark.parametrize(
    ("role", "home", "text"),
    [
        (Role.ADMIN, "/admin", "Administration"),
        (Role.INSTRUCTOR, "/instructor", "Today"),
        (Role.TRAINEE, "/me", "My progress"),
    ],
)
def test_root_sends_each_role_to_its_home(client, accounts, role, home, text):
    accounts.login_as(role)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == home
    page = client.get(home)
    assert page.status_code == 200
    assert text in page.text


def test_root_sends_visitor_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_signs_out(client, accounts):
    accounts.login_as(Role.ADMIN)
    response = post_form(client, "/logout", {}, form_page="/admin")
    assert response.status_code == 302
    assert client.get("/admin").status_code == 302


def test_logout_needs_csrf_token(client, accounts):
    accounts.login_as(Role.ADMIN)
    assert client.post("/logout").status_code == 400
    assert client.get("/admin").status_code == 200


def test_logout_is_not_reachable_by_get(client, accounts):
    accounts.login_as(Role.ADMIN)
    assert client.get("/logout").status_code == 405
    assert client.get("/admin").status_code == 200


def test_copied_session_cookie_is_dead_after_logout(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    stolen = client.get_cookie("session").value
    post_form(client, "/logout", {}, form_page="/admin")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/admin").status_code == 302


def test_deactivated_account_loses_its_open_session(app, client, accounts):
    account = accounts.login_as(Role.INSTRUCTOR)
    with app.app_context():
        user = db.session.get(User, account["id"])
        user.active = False
        db.session.commit()
    assert client.get("/instructor").status_code == 302


def test_password_is_stored_hashed(app, accounts):
    account = accounts.make(Role.ADMIN)
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == account["id"]))
    assert PASSWORD not in stored
    assert stored.startswith("pbkdf2:")  # the test setting; production: see test_config


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.INSTRUCTOR, "/admin"),
        (Role.TRAINEE, "/admin"),
        (Role.TRAINEE, "/instructor"),
        (Role.INSTRUCTOR, "/me"),
        (Role.ADMIN, "/me"),
        (Role.INSTRUCTOR, "/users"),
        (Role.TRAINEE, "/users"),
    ],
)
def test_other_roles_home_pages_are_forbidden(client, accounts, role, url):
    accounts.login_as(role)
    response = client.get(url)
    assert response.status_code == 403
    assert "not allowed" in response.text


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert response.content_type.startswith("text/html")


def test_health_answers_without_login(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_login_ignores_next_with_control_characters(client, accounts):
    account = accounts.make(Role.ADMIN)
    page = client.get("/login")
    response = client.post(
        "/login?next=/foo%0d%0aX-Injected:1",
        data={"csrf_token": csrf_token_in(page.text), **account},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin"
    assert "X-Injected" not in response.headers


def test_unicode_email_signs_in_as_typed(client, accounts):
    decomposed = "u\u0308ser@example.org"  # "ü" as u + combining diaeresis
    account = accounts.make(Role.ADMIN, email=decomposed)
    assert accounts.login({**account, "email": decomposed}).status_code == 302


def test_logout_ends_only_this_browser(app, client, accounts):
    account = accounts.login_as(Role.ADMIN)
    other_browser = app.test_client()
    accounts.login(account, client=other_browser)
    token = accounts.token(account)
    post_form(client, "/logout", {}, form_page="/admin")
    assert client.get("/admin").status_code == 302
    assert other_browser.get("/admin").status_code == 200
    assert (
        client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    with app.app_context():
        assert db.session.get(User, account["id"]).version == 1  # signing out edits no account


def test_session_cookie_is_secure_when_served_over_https(database_url):
    from app import create_app
    from tests.conftest import test_config

    https = create_app(
        {**test_config(database_url), "PUBLIC_BASE_URL": "https://training.example.org"}
    )
    http = create_app(test_config(database_url))
    assert https.config["SESSION_COOKIE_SECURE"] is True
    assert http.config["SESSION_COOKIE_SECURE"] is False
