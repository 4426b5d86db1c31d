"""The API base: tokens, the users resource, the error format, the OpenAPI document."""

from datetime import UTC, datetime, timedelta

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from extensions import db
from models.account import ApiToken, Role, User
from tests.conftest import PASSWORD
from tests.scenarios.api_base import error_of

# --- tokens -----------------------------------------------------------------------


def test_token_life_cycle(app, client, accounts):
    account = accounts.make(Role.ADMIN)
    response = client.post("/api/v1/tokens", json={"email": account["email"], "password": PASSWORD})
    assert response.status_code == 201
    token = response.json["token"]
    expires_at = datetime.fromisoformat(response.json["expires_at"])
    assert timedelta(hours=11, minutes=59) < expires_at - datetime.now(UTC) <= timedelta(hours=12)
    headers = {"Authorization": f"Bearer {token}"}

    assert client.get("/api/v1/users", headers=headers).status_code == 200
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored and token not in stored  # only a hash is kept

    assert client.delete("/api/v1/tokens", headers=headers).status_code == 204
    error_of(client.get("/api/v1/users", headers=headers), 401, "unauthorized")


def test_expired_token_is_refused(app, client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    with app.app_context():
        for record in db.session.scalars(select(ApiToken)):
            record.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    error_of(client.get("/api/v1/users", headers=headers), 401, "unauthorized")


def test_token_refused_for_wrong_password(client, accounts):
    account = accounts.make(Role.ADMIN)
    response = client.post("/api/v1/tokens", json={"email": account["email"], "password": "nope"})
    body = error_of(response, 401, "unauthorized")
    assert body["message"] == "Invalid e-mail or password."
    unknown = client.post("/api/v1/tokens", json={"email": "x@example.org", "password": "nope"})
    assert error_of(unknown, 401, "unauthorized")["message"] == body["message"]


def test_token_refused_for_inactive_user(client, accounts):
    account = accounts.make(Role.ADMIN, active=False)
    response = client.post("/api/v1/tokens", json={"email": account["email"], "password": PASSWORD})
    error_of(response, 401, "unauthorized")


def test_token_of_deactivated_user_stops_working(app, client, accounts):
    account = accounts.make(Role.ADMIN)
    headers = {"Authorization": f"Bearer {accounts.token(account)}"}
    with app.app_context():
        db.session.get(User, account["id"]).active = False
        db.session.commit()
    error_of(client.get("/api/v1/users", headers=headers), 401, "unauthorized")


@pytest.mark.parametrize(
    "authorization", ["", "Bearer", "Bearer not-a-token", "Basic YWRtaW46YWRtaW4=", "Token abc"]
)
def test_bad_authorization_header_is_401(client, authorization):
    response = client.get("/api/v1/users", headers={"Authorization": authorization})
    error_of(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_browser_session_does_not_authorise_api(client, accounts):
    accounts.login_as(Role.ADMIN)
    assert client.get("/admin").status_code == 200  # the cookie works for pages
    write = client.post(
        "/api/v1/users",
        json={"email": "new@example.org", "password": PASSWORD, "role": "admin", "full_name": "N"},
    )
    error_of(write, 401, "unauthorized")
    error_of(client.get("/api/v1/users"), 401, "unauthorized")


def test_api_sets_no_cookie(client, accounts):
    response = client.post("/api/v1/tokens", json={"email": "x@example.org", "password": "y"})
    assert "Set-Cookie" not in response.headers


# --- users ------------------------------------------------------------------------


def test_admin_lists_and_creates_users(app, client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    created = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "email": "Rashad.Quliyev@Example.org",
            "password": PASSWORD,
            "role": "instructor",
            "full_name": "Rəşad Quliyev",
        },
    )
    assert created.status_code == 201
    assert created.json["email"] == "rashad.quliyev@example.org"
    assert created.json["version"] == 1
    assert "password" not in created.json and "password_hash" not in created.json
    listing = client.get("/api/v1/users?per_page=1&page=2", headers=headers)
    assert listing.status_code == 200
    assert listing.json["total"] == 2
    assert [user["email"] for user in listing.json["items"]] == ["rashad.quliyev@example.org"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "rashad.quliyev@example.org"))
        assert user.role == "instructor" and user.full_name == "Rəşad Quliyev"


def test_per_page_above_200_gives_200(client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    response = client.get("/api/v1/users?per_page=5000", headers=headers)
    assert response.status_code == 200
    assert response.json["total"] == 1


@pytest.mark.parametrize("query", ["page=0", "page=abc", "per_page=0", "page=99999999999"])
def test_bad_page_arguments_are_422(client, accounts, query):
    response = client.get(f"/api/v1/users?{query}", headers=accounts.bearer(Role.ADMIN))
    error_of(response, 422, "validation_error")


def test_duplicate_email_differing_in_case_is_409(app, client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    accounts.make(Role.INSTRUCTOR, email="same@example.org")
    response = client.post(
        "/api/v1/users",
        headers=headers,
        json={"email": "SAME@example.org", "password": PASSWORD, "role": "admin", "full_name": "S"},
    )
    body = error_of(response, 409, "conflict")
    assert body["fields"]["email"] == ["An account with this e-mail already exists."]
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 2  # nothing new


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"password": "short"},
            "password",
            "The password must have between 12 and 128 characters.",
        ),
        (
            {"password": "x" * 129},
            "password",
            "The password must have between 12 and 128 characters.",
        ),
        ({"email": "not-an-email"}, "email", None),
        ({"role": "superuser"}, "role", None),
        ({"full_name": ""}, "full_name", None),
        ({"full_name": "A\x00B"}, "full_name", "Must not contain NUL characters."),
        ({"trainee_id": 12}, "trainee_id", "Only a trainee account is linked to a trainee."),
        ({"unexpected": 1}, "unexpected", "Unknown field."),
    ],
)
def test_invalid_user_is_422_with_field_message(app, client, accounts, change, field, message):
    headers = accounts.bearer(Role.ADMIN)
    body = {"email": "n@example.org", "password": PASSWORD, "role": "admin", "full_name": "N"}
    response = client.post("/api/v1/users", headers=headers, json={**body, **change})
    error = error_of(response, 422, "validation_error")
    assert field in error["fields"]
    if message:
        assert message in error["fields"][field]
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "n@example.org")) is None


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.TRAINEE])
def test_users_api_refused_to_non_admins(client, accounts, role):
    headers = accounts.bearer(role)
    error_of(client.get("/api/v1/users", headers=headers), 403, "forbidden")
    response = client.post(
        "/api/v1/users",
        headers=headers,
        json={"email": "me2@example.org", "password": PASSWORD, "role": "admin", "full_name": "X"},
    )
    error_of(response, 403, "forbidden")


def test_patch_user_with_current_version(app, client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    target = accounts.make(Role.INSTRUCTOR)
    response = client.patch(
        f"/api/v1/users/{target['id']}", headers=headers, json={"version": 1, "active": False}
    )
    assert response.status_code == 200
    assert response.json["active"] is False and response.json["version"] == 2


def test_patch_user_with_stale_version_is_409_and_changes_nothing(app, client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    target = accounts.make(Role.INSTRUCTOR, full_name="Before")
    first = client.patch(
        f"/api/v1/users/{target['id']}", headers=headers, json={"version": 1, "full_name": "One"}
    )
    assert first.status_code == 200
    stale = client.patch(
        f"/api/v1/users/{target['id']}", headers=headers, json={"version": 1, "full_name": "Two"}
    )
    error_of(stale, 409, "conflict")
    with app.app_context():
        assert db.session.get(User, target["id"]).full_name == "One"


def test_admin_cannot_deactivate_own_account(client, accounts):
    account = accounts.make(Role.ADMIN)
    headers = {"Authorization": f"Bearer {accounts.token(account)}"}
    response = client.patch(
        f"/api/v1/users/{account['id']}", headers=headers, json={"version": 1, "active": False}
    )
    error_of(response, 409, "conflict")


# --- the error format -------------------------------------------------------------


def test_malformed_json_is_400(client):
    response = client.post(
        "/api/v1/tokens", data="{not json", headers={"Content-Type": "application/json"}
    )
    error_of(response, 400, "bad_request")


def test_unknown_api_path_is_json_404(client):
    error_of(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_unknown_record_is_json_404(client, accounts):
    headers = accounts.bearer(Role.ADMIN)
    error_of(client.get("/api/v1/users/424242", headers=headers), 404, "not_found")
    error_of(client.get("/api/v1/users/99999999999999", headers=headers), 404, "not_found")


def test_wrong_method_is_json_405(client):
    response = client.put("/api/v1/tokens", json={})
    error_of(response, 405, "bad_request")
    assert "POST" in response.headers["Allow"]


def test_missing_fields_are_422_per_field(client):
    body = error_of(client.post("/api/v1/tokens", json={}), 422, "validation_error")
    assert set(body["fields"]) == {"email", "password"}


def test_unexpected_failure_is_json_500_not_html(app, accounts, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    headers = accounts.bearer(Role.ADMIN)

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("auth.api.accounts.page_of", broken)
    response = app.test_client().get("/api/v1/users", headers=headers)
    error_of(response, 500, "server_error")
    assert "boom" not in response.text


# --- the OpenAPI document ---------------------------------------------------------


def test_openapi_document_is_valid_and_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert {"/api/v1/tokens", "/api/v1/users", "/api/v1/users/{user_id}"} <= set(document["paths"])


def test_openapi_documents_the_error_format_and_who_may_call(client):
    document = client.get("/api/v1/openapi.json").json
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    users_get = document["paths"]["/api/v1/users"]["get"]
    assert users_get["x-access"] == ["admin"]
    assert "security" not in users_get  # the global bearer requirement applies
    assert document["paths"]["/api/v1/tokens"]["post"]["security"] == []
    assert "401" in users_get["responses"] and "403" in users_get["responses"]
