"""An administrator makes a one-time password link; the user sets a new password with it."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from auth.password_resets import PasswordReset
from extensions import db
from models import Role, User
from tests.conftest import csrf_token_in
from tests.scenarios.browser import sign_in

NEW = "a brand new secret phrase"


def link_path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_admin_makes_a_link_and_the_user_sets_a_new_password(app, page, accounts, browser):
    user = accounts.make(Role.INSTRUCTOR, full_name="Rəşad Quliyev")
    sign_in(page, accounts.make(Role.ADMIN))
    page.goto(f"/users/{user['id']}")
    page.get_by_role("button", name="Make a password link").click()
    link = page.get_by_test_id("reset-link").inner_text()
    assert "/reset/" in link

    other = browser.new_context(base_url=page.url.split("/users")[0])
    visitor = other.new_page()
    visitor.goto(link_path(link))
    visitor.get_by_label("New password", exact=True).fill(NEW)
    visitor.get_by_label("The new password again").fill("something else entirely")
    visitor.get_by_role("button", name="Set the password").click()
    expect(visitor.locator("#repeat-errors")).to_have_text("The two passwords differ.")
    visitor.get_by_label("New password", exact=True).fill(NEW)
    visitor.get_by_label("The new password again").fill(NEW)
    visitor.get_by_role("button", name="Set the password").click()
    expect(visitor.get_by_role("alert")).to_have_text("Your new password is set. Sign in with it.")
    sign_in(visitor, {"email": user["email"], "password": NEW})
    visitor.goto(link_path(link))  # used once
    expect(visitor.get_by_text("This link is not valid any more")).to_be_visible()
    other.close()


def make_link(app, client, accounts, user) -> str:
    admin = app.test_client()
    accounts.login(accounts.make(Role.ADMIN), client=admin)
    form = admin.get(f"/users/{user['id']}").text
    answer = admin.post(f"/users/{user['id']}/reset-link", data={"csrf_token": csrf_token_in(form)})
    assert answer.status_code == 200
    link = re.search(r'data-testid="reset-link">([^<]+)<', answer.text).group(1)
    return link_path(link)


def test_a_link_older_than_24_hours_no_longer_works(app, client, accounts):
    user = accounts.make(Role.INSTRUCTOR)
    path = make_link(app, client, accounts, user)
    with app.app_context():
        expires = db.session.scalar(select(PasswordReset.expires_at))
        db.session.execute(update(PasswordReset).values(expires_at=expires - timedelta(hours=25)))
        db.session.commit()
    assert client.get(path).status_code == 404
    assert accounts.login(user).status_code == 302  # the old password still works


def test_a_weak_password_is_refused_next_to_the_field_and_nothing_changes(app, client, accounts):
    user = accounts.make(Role.INSTRUCTOR)
    path = make_link(app, client, accounts, user)
    page = client.get(path).text
    answer = client.post(
        path, data={"csrf_token": csrf_token_in(page), "password": "short", "repeat": "short"}
    )
    assert answer.status_code == 422
    assert 'id="password-errors"' in answer.text
    with app.app_context():
        assert db.session.scalar(select(PasswordReset.id)) is not None  # still usable
    assert accounts.login(user).status_code == 302


def test_a_newer_link_replaces_the_older_one_and_signs_out_everywhere(app, client, accounts):
    user = accounts.make(Role.INSTRUCTOR)
    signed_in = app.test_client()
    accounts.login(user, client=signed_in)
    first = make_link(app, client, accounts, user)
    second = make_link(app, client, accounts, user)
    assert client.get(first).status_code == 404
    page = client.get(second).text
    answer = client.post(
        second, data={"csrf_token": csrf_token_in(page), "password": NEW, "repeat": NEW}
    )
    assert answer.status_code == 302
    assert signed_in.get("/instructor").status_code == 302  # back to the sign-in page
    with app.app_context():
        assert db.session.get(User, user["id"]) is not None


def test_a_signed_in_user_changes_their_own_password(app, client, accounts):
    user = accounts.make(Role.INSTRUCTOR)
    elsewhere = app.test_client()
    accounts.login(user, client=elsewhere)
    accounts.login(user)
    page = client.get("/account").text
    wrong = client.post(
        "/account",
        data={"csrf_token": csrf_token_in(page), "current_password": "not it", "new_password": NEW},
    )
    assert wrong.status_code == 422 and "This is not your current password." in wrong.text
    forgotten = client.post(
        "/account",
        data={"csrf_token": csrf_token_in(page), "current_password": "", "new_password": "short"},
    )
    # Both problems at once, each named for what it is.
    assert forgotten.status_code == 422
    assert "Enter your current password to set a new one." in forgotten.text
    assert "This is not your current password." not in forgotten.text
    assert 'id="new_password-errors"' in forgotten.text
    saved = client.post(
        "/account",
        data={
            "csrf_token": csrf_token_in(page),
            "current_password": user["password"],
            "new_password": NEW,
            "language": "",
        },
        follow_redirects=True,
    )
    assert "Your account is saved." in saved.text
    assert client.get("/instructor").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/instructor").status_code == 302  # the other one is signed out
    fresh = app.test_client()
    assert accounts.login({**user, "password": NEW}, client=fresh).status_code == 302
