"""Account administration through the real forms."""

from sqlalchemy import select

from extensions import db
from models.account import Role, User
from tests.conftest import PASSWORD, post_form


def test_admin_creates_an_account_through_the_form(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        "/users/new",
        {
            "email": "Ayten@Example.org",
            "full_name": "Aytən Əliyeva",
            "role": "instructor",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    listing = client.get(response.headers["Location"])
    assert "Account ayten@example.org created." in listing.text
    assert "Aytən Əliyeva" in listing.text
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ayten@example.org"))
        assert user.role == "instructor"


def test_account_form_shows_errors_next_to_fields_and_saves_nothing(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        "/users/new",
        {"email": "not an email", "full_name": "X", "role": "instructor", "password": "short"},
    )
    assert response.status_code == 422
    assert 'id="email-errors"' in response.text
    assert 'id="password-errors"' in response.text
    assert "at least 12 characters" in response.text
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1


def test_duplicate_account_is_refused_next_to_email(client, accounts):
    existing = accounts.make(Role.TRAINEE)
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        "/users/new",
        {
            "email": existing["email"].upper(),
            "full_name": "X",
            "role": "admin",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 422
    assert "An account with this e-mail already exists." in response.text


def test_admin_deactivates_an_account(app, client, accounts):
    target = accounts.make(Role.INSTRUCTOR)
    accounts.login_as(Role.ADMIN)
    url = f"/users/{target['id']}"
    response = post_form(
        client, url, {"version": "1", "full_name": "Test instructor", "role": "instructor"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, target["id"]).active is False


def test_stale_account_form_is_refused_and_changes_nothing(app, client, accounts):
    target = accounts.make(Role.INSTRUCTOR, full_name="Original")
    accounts.login_as(Role.ADMIN)
    url = f"/users/{target['id']}"
    first = post_form(
        client, url, {"version": "1", "full_name": "First", "role": "instructor", "active": "y"}
    )
    assert first.status_code == 302
    second = post_form(
        client, url, {"version": "1", "full_name": "Second", "role": "instructor", "active": "y"}
    )
    assert second.status_code == 422
    assert "Someone else changed this account" in second.text
    with app.app_context():
        assert db.session.get(User, target["id"]).full_name == "First"


def test_admin_cannot_deactivate_themselves_through_the_form(app, client, accounts):
    me = accounts.login_as(Role.ADMIN)
    response = post_form(
        client, f"/users/{me['id']}", {"version": "1", "full_name": "Me", "role": "admin"}
    )
    assert response.status_code == 422
    assert "cannot deactivate your own account" in response.text
    with app.app_context():
        assert db.session.get(User, me["id"]).active is True


def test_password_change_ends_the_accounts_sessions(app, client, accounts):
    target = accounts.make(Role.INSTRUCTOR)
    their_client = app.test_client()
    accounts.login(target, client=their_client)
    assert their_client.get("/instructor").status_code == 200
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        f"/users/{target['id']}",
        {
            "version": "1",
            "full_name": "T",
            "role": "instructor",
            "active": "y",
            "password": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert their_client.get("/instructor").status_code == 302


def test_unknown_account_page_is_404(client, accounts):
    accounts.login_as(Role.ADMIN)
    assert client.get("/users/999999").status_code == 404
    assert client.get("/users/99999999999999").status_code == 404
