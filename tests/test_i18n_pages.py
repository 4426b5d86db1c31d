"""Pages in Azerbaijani and Russian: by the browser's language, the switcher, the account."""

import pytest

from extensions import db
from models.account import Role, User
from tests.conftest import csrf_token_in
from tests.scenarios.certificates_api import issue, make_graduates
from tests.scenarios.i18n_pages import speaks, translated

LANGUAGES = ["az", "ru"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_page_follows_accept_language(client, language):
    page = client.get("/login", headers={"Accept-Language": f"{language},en;q=0.5"}).text
    assert f'<html lang="{language}">' in page
    assert translated(language, "Sign in") in page
    assert "Sign in</h1>" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_keeps_the_language_for_the_visit(client, language):
    token = csrf_token_in(client.get("/login").text)
    response = client.post(f"/language/{language}", data={"csrf_token": token, "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "en"}).text
    assert translated(language, "Sign in") in page


def test_switcher_refuses_an_unknown_language_and_other_hosts(client):
    token = csrf_token_in(client.get("/login").text)
    assert client.post("/language/de", data={"csrf_token": token}).status_code == 404
    away = client.post("/language/ru", data={"csrf_token": token, "next": "//evil.example/"})
    assert away.headers["Location"] == "/"
    assert client.post("/language/ru").status_code == 400  # no CSRF token


@pytest.mark.parametrize("language", LANGUAGES)
def test_verification_page_negotiates_the_language(app, client, accounts, language, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch)
    certificate = issue(client, setup).json
    page = client.get(
        f"/verify/{certificate['verification_code']}", headers={"Accept-Language": language}
    ).text
    assert translated(language, "VALID") in page
    assert translated(language, "Certificate No.") in page


def test_a_checkpoint_visit_leaves_no_cookie_and_its_switcher_links_to_the_page(
    app, client, accounts, monkeypatch
):
    """No session for an anonymous verifier: the switcher links instead of posting."""
    setup = make_graduates(app, accounts, monkeypatch)
    code = issue(client, setup).json["verification_code"]
    visitor = app.test_client(use_cookies=False)
    answer = visitor.get(f"/verify/{code}", headers={"Accept-Language": "az"})
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    assert '<html lang="az">' in answer.text
    assert 'name="csrf_token"' not in answer.text  # nothing to post, no token made
    assert f'href="/verify/{code}?lang=ru"' in answer.text

    russian = visitor.get(f"/verify/{code}?lang=ru", headers={"Accept-Language": "az"})
    assert "Set-Cookie" not in russian.headers
    assert '<html lang="ru">' in russian.text
    assert translated("ru", "VALID") in russian.text
    unknown = visitor.get("/verify/NO-SUCH-CODE?lang=en", headers={"Accept-Language": "ru"})
    assert unknown.status_code == 404 and "Set-Cookie" not in unknown.headers
    assert '<html lang="en">' in unknown.text
    odd = visitor.get("/verify/ABC%23X%3FY").text  # a code as typed, with # and ?
    assert 'href="/verify/ABC%23X%3FY?lang=az"' in odd  # the same page, in Azerbaijani


def test_an_address_names_only_an_offered_language_and_never_an_accounts(
    app, client, accounts, monkeypatch
):
    setup = make_graduates(app, accounts, monkeypatch)
    code = issue(client, setup).json["verification_code"]
    visitor = app.test_client()
    odd = visitor.get(f"/verify/{code}?lang=de", headers={"Accept-Language": "ru"}).text
    assert '<html lang="ru">' in odd  # not offered: the browser's language
    assert visitor.get("/api/v1/users?lang=ru").json["error"]["message"] == (
        "Sign in first: the request carries no valid token."  # the API reads Accept-Language
    )

    # A signed-in account reads its own language, and its switcher posts as on every page.
    account = accounts.login_as(Role.INSTRUCTOR)
    speaks(app, account, "az")
    page = client.get(f"/verify/{code}?lang=ru").text
    assert '<html lang="az">' in page
    assert 'action="/language/ru"' in page and f'href="/verify/{code}?lang=' not in page


def test_account_language_wins_over_the_browser(app, client, accounts):
    account = accounts.login_as(Role.TRAINEE, full_name="Алексей Смирнов")
    speaks(app, account, "ru")
    page = client.get("/me", headers={"Accept-Language": "az"}).text
    assert '<html lang="ru">' in page
    assert translated("ru", "My progress") in page
    assert translated("ru", "You are not enrolled in a course yet.") in page


def test_user_chooses_the_language_on_the_account_page(app, client, accounts):
    account = accounts.login_as(Role.INSTRUCTOR)
    token = csrf_token_in(client.get("/account").text)
    response = client.post("/account", data={"csrf_token": token, "language": "az"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, account["id"]).language == "az"
    # The confirmation is said in the language just chosen, not the one before.
    flashed = client.get(response.headers["Location"]).text
    assert translated("az", "Your account is saved.") in flashed
    assert "Your account is saved." not in flashed
    assert translated("az", "Today") in client.get("/instructor").text


def test_the_language_chosen_before_sign_in_stays_after_it(app, client, accounts):
    account = accounts.make(Role.INSTRUCTOR)
    token = csrf_token_in(client.get("/login").text)
    client.post("/language/ru", data={"csrf_token": token, "next": "/login"})
    accounts.login(account)
    page = client.get("/instructor").text
    assert '<html lang="ru">' in page and translated("ru", "Today") in page
    token = csrf_token_in(page)
    client.post("/logout", data={"csrf_token": token})
    assert translated("ru", "You are signed out.") in client.get("/login").text


def test_a_page_asked_for_in_a_language_is_signed_into_in_it(app, client, accounts):
    """/courses/2?lang=az sent to an English sign-in page, and /login?lang=ru signed in to
    an English home page."""
    account = accounts.make(Role.INSTRUCTOR)
    sent = client.get("/instructor?lang=az")
    assert sent.status_code == 302
    assert "lang=az" in sent.headers["Location"]
    page = client.get(sent.headers["Location"]).text
    assert '<html lang="az">' in page
    signed_in = client.post(
        sent.headers["Location"],
        data={"csrf_token": csrf_token_in(page), **{k: account[k] for k in ("email", "password")}},
    )
    assert signed_in.status_code == 302
    home = client.get("/instructor").text
    assert '<html lang="az">' in home and translated("az", "Today") in home


def test_the_switcher_changes_a_signed_in_accounts_own_language(app, client, accounts):
    account = accounts.login_as(Role.INSTRUCTOR)
    speaks(app, account, "az")
    page = client.get("/instructor").text
    assert '<html lang="az">' in page
    client.post("/language/ru", data={"csrf_token": csrf_token_in(page), "next": "/instructor"})
    assert '<html lang="ru">' in client.get("/instructor").text
    with app.app_context():
        assert db.session.get(User, account["id"]).language == "ru"  # kept for the next visit


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_messages_follow_accept_language_and_codes_stay_english(client, language):
    response = client.get("/api/v1/users", headers={"Accept-Language": language})
    assert response.status_code == 401
    body = response.json["error"]
    assert body["code"] == "unauthorized"
    assert body["message"] == translated(
        language, "Sign in first: the request carries no valid token."
    )


def test_api_field_messages_follow_accept_language(client):
    response = client.post("/api/v1/tokens", json={}, headers={"Accept-Language": "ru"})
    fields = response.json["error"]["fields"]
    assert fields["email"] == [translated("ru", "Missing data for required field.")]
