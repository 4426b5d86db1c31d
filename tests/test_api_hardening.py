"""Hostile input to the API: never a 500, never HTML, never a half-saved change."""

import pytest
from sqlalchemy import create_engine, select, text

from extensions import db
from models.account import Role, User
from tests.conftest import PASSWORD
from tests.scenarios.api_base import error_of


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ('{"email": "a@example.org", "password": "\\ud800"}', 422, "validation_error"),
        ('{"email": "\\ud800", "password": "x"}', 422, "validation_error"),
        ("[" * 100_000, 400, "bad_request"),
        ('{"email": ' + "9" * 5000 + ', "password": "x"}', 400, "bad_request"),
        ("[]", 422, "validation_error"),
        ("null", 422, "validation_error"),
        ('"text"', 422, "validation_error"),
        ('{"email": null, "password": null}', 422, "validation_error"),
        ('{"email": ["a"], "password": {"b": 1}}', 422, "validation_error"),
    ],
    ids=[
        "surrogate-password",
        "surrogate-email",
        "deep-nesting",
        "huge-integer",
        "array",
        "null",
        "string",
        "nulls",
        "wrong-types",
    ],
)
def test_odd_token_requests_are_refused_cleanly(client, body, status, code):
    response = client.post(
        "/api/v1/tokens", data=body, headers={"Content-Type": "application/json"}
    )
    error_of(response, status, code)


def test_body_that_is_not_json_is_415(client):
    response = client.post("/api/v1/tokens", data="email=a&password=b", content_type="text/plain")
    error_of(response, 415, "bad_request")


def test_oversized_body_is_413_json(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(
        "/api/v1/tokens", data="x" * 4096, headers={"Content-Type": "application/json"}
    )
    error_of(response, 413, "bad_request")


def test_surrogate_in_admin_write_is_422(client, accounts):
    response = client.post(
        "/api/v1/users",
        headers={**accounts.bearer(Role.ADMIN), "Content-Type": "application/json"},
        data='{"email": "s@example.org", "password": "a long password", "role": "admin",'
        ' "full_name": "\\ud800"}',
    )
    assert error_of(response, 422, "validation_error")["fields"]["full_name"]


def test_email_taken_at_the_same_moment_is_409_not_500(app, client, accounts, monkeypatch):
    headers = accounts.bearer(Role.ADMIN)
    accounts.make(Role.INSTRUCTOR, email="race@example.org")
    # The Python check sees no account (as if the other request had not committed yet):
    # the database's unique constraint is what refuses the second one.
    monkeypatch.setattr("auth.accounts.find_user_by_email", lambda _email: None)
    response = client.post(
        "/api/v1/users",
        headers=headers,
        json={"email": "race@example.org", "password": PASSWORD, "role": "admin", "full_name": "R"},
    )
    error_of(response, 409, "conflict")
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 2


def test_change_saved_by_someone_else_meanwhile_is_409_not_500(app, client, accounts, monkeypatch):
    headers = accounts.bearer(Role.ADMIN)
    target = accounts.make(Role.INSTRUCTOR, full_name="Before")
    import auth.api.accounts

    original = auth.api.accounts.update_user

    def someone_else_saves_first(user, version, changes, actor):
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE users SET full_name = 'Other', version = version + 1 WHERE id = :id"),
                {"id": user.id},
            )
        engine.dispose()
        return original(user, version, changes, actor)

    monkeypatch.setattr(auth.api.accounts, "update_user", someone_else_saves_first)
    response = client.patch(
        f"/api/v1/users/{target['id']}", headers=headers, json={"version": 1, "full_name": "Mine"}
    )
    error_of(response, 409, "conflict")
    with app.app_context():
        assert db.session.get(User, target["id"]).full_name == "Other"


@pytest.mark.parametrize("path", ["/api", "/api/v1//users", "/api/v2/users"])
def test_odd_api_paths_answer_json_404(client, path):
    error_of(client.get(path), 404, "not_found")


def test_options_under_api_is_empty_not_html(client):
    response = client.options("/api/v1/users")
    assert response.status_code == 204
    assert response.data == b""
    assert "GET" in response.headers["Allow"]


def test_head_is_answered_like_get(client, accounts):
    response = client.head("/api/v1/users", headers=accounts.bearer(Role.ADMIN))
    assert response.status_code == 200


def test_trainee_account_keeps_its_role(app, client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    trainee = accounts.make(Role.TRAINEE)
    response = client.patch(
        f"/api/v1/users/{trainee['id']}", headers=headers, json={"version": 1, "role": "admin"}
    )
    assert "role" in error_of(response, 422, "validation_error")["fields"]
    with app.app_context():
        assert db.session.get(User, trainee["id"]).role == "trainee"


def test_user_values_the_database_cannot_hold_are_refused(client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    response = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "email": "long@example.org",
            "password": PASSWORD,
            "role": "trainee",
            "full_name": "a" * 201,
            "trainee_id": 2**31,
        },
    )
    fields = error_of(response, 422, "validation_error")["fields"]
    assert set(fields) == {"full_name", "trainee_id"}
