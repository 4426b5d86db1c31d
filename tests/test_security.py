"""Security: headers, sign-in lock-out, sessions, CSRF, escaping, passwords, safe exports."""

import csv
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from app import create_app
from extensions import db
from models import Course
from models.account import ApiToken, Role, User, UserSession
from models.certificate import Certificate
from models.trainee import Trainee
from tests import conftest
from tests.conftest import csrf_token_in, post_form
from tests.scenarios.access_matrix import (
    ADMIN,
    PARAMETERS,
    PERSONAS,
    Persona,
    build_scenario,
    to_login,
)
from tests.scenarios.certificates_api import make_graduates

SAFE_REFERRERS = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
FILES = {"static": "css/app.css", "bootstrap.static": "bootstrap5/css/bootstrap.min.css"}


class Clock:
    """core.clock.now as real time plus an offset: sessions store real times."""

    def __init__(self, monkeypatch):
        self.offset = timedelta()
        monkeypatch.setattr("core.clock.now", lambda: datetime.now(UTC) + self.offset)

    def move(self, **delta):
        self.offset += timedelta(**delta)


def header_problems(response, where: str) -> list[str]:
    headers, policy = response.headers, {}
    for part in headers.get("Content-Security-Policy", "").split(";"):
        name, *sources = part.split() or [""]
        policy[name] = sources
    scripts = policy.get("script-src", policy.get("default-src")) or ["'unsafe-inline'"]
    checks = {
        "script-src": not {"'unsafe-inline'", "'unsafe-eval'"} & set(scripts),
        "frame-ancestors": policy.get("frame-ancestors") == ["'none'"],
        "X-Frame-Options": headers.get("X-Frame-Options") == "DENY",
        "X-Content-Type-Options": headers.get("X-Content-Type-Options") == "nosniff",
        "Referrer-Policy": headers.get("Referrer-Policy") in SAFE_REFERRERS,
    }
    return [f"{where}: {name}" for name, good in checks.items() if not good]


def test_every_get_route_and_every_error_carries_the_headers(app, accounts, monkeypatch):
    values, people = build_scenario(app, accounts, monkeypatch)
    personas = [Persona(app, accounts, name, people.get(name)) for name in PERSONAS]
    paths = ["/nowhere", "/api/v1/nowhere", "/courses/999999", "/api/v1/courses/999999"]
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            given = {**values, **PARAMETERS.get(rule.endpoint, {})}
            given["filename"] = FILES.get(rule.endpoint, "")
            paths.append(rule.build({name: given[name] for name in rule.arguments}, False)[1])
    problems, statuses = [], set()
    for path in paths:
        for persona in personas:
            response = persona.send("GET", path, None)
            statuses.add(response.status_code)
            problems += header_problems(response, f"GET {path} as {persona.name}")
            response.close()  # static files are streamed
    problems += header_problems(personas[0].client.put("/login"), "PUT /login")  # 405
    assert {200, 302, 401, 403, 404} <= statuses
    assert problems == []


def test_hsts_when_the_public_address_is_https(database_url):
    config = {**conftest.test_config(database_url), "PUBLIC_BASE_URL": "https://training.test"}
    app = create_app(config)
    for path in ("/login", "/health", "/nowhere", "/api/v1/courses", "/api/v1/nowhere"):
        hsts = app.test_client().get(path).headers.get("Strict-Transport-Security", "")
        age = re.search(r"max-age=(\d+)", hsts)
        assert age and int(age.group(1)) >= 180 * 24 * 3600, path
    with app.app_context():
        db.engine.dispose()


# --- sign-in lock-out --------------------------------------------------------------


def sign_in(client, email, password):
    return post_form(client, "/login", {"email": email, "password": password})


def token_for(client, email, password):
    return client.post("/api/v1/tokens", json={"email": email, "password": password})


def test_five_failures_lock_known_and_unknown_emails_alike_for_a_minute(
    app, client, accounts, monkeypatch
):
    clock = Clock(monkeypatch)
    account = accounts.make(Role.INSTRUCTOR)
    answers = {}
    for n, email in enumerate((account["email"], "nobody-at-all@example.org")):
        client = app.test_client()  # each from its own address: one address locks for all
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
        for attempt in range(5):
            failed = sign_in(client, email, f"wrong password {attempt}")
            assert failed.status_code == 401
            assert "Invalid e-mail or password." in failed.text
        page = sign_in(client, email, account["password"])
        assert page.status_code == 429
        assert "Too many failed sign-ins with this e-mail. Try again in 1 minute." in page.text
        api = token_for(client, email, account["password"])
        assert api.status_code == 429
        assert 50 < int(api.headers["Retry-After"]) <= 60
        answers[email] = (page.status_code, api.status_code, api.json)
    assert len(set(map(repr, answers.values()))) == 1  # nothing tells which e-mail exists
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.1"
    clock.move(seconds=50)
    assert sign_in(client, account["email"], account["password"]).status_code == 429
    clock.move(seconds=15)
    assert token_for(client, account["email"], account["password"]).status_code == 201
    assert sign_in(client, account["email"], account["password"]).status_code == 302


def test_failures_older_than_fifteen_minutes_do_not_count(app, client, accounts, monkeypatch):
    clock = Clock(monkeypatch)
    account = accounts.make(Role.INSTRUCTOR)
    for _ in range(4):
        assert token_for(client, account["email"], "wrong password").status_code == 401
    clock.move(minutes=16)
    assert token_for(client, account["email"], "wrong password").status_code == 401
    assert token_for(client, account["email"], account["password"]).status_code == 201


def test_five_failures_within_any_fifteen_minutes_lock(app, client, accounts, monkeypatch):
    clock = Clock(monkeypatch)
    account = accounts.make(Role.INSTRUCTOR)
    for step in (0, 14, 1, 1, 1):  # minutes 0, 14, 15, 16, 17: four within three minutes
        clock.move(minutes=step)
        assert token_for(client, account["email"], "wrong password").status_code == 401
    clock.move(seconds=30)  # minute 17.5: failures at 14, 15, 16, 17 and this one
    assert token_for(client, account["email"], "wrong password").status_code == 401
    assert token_for(client, account["email"], account["password"]).status_code == 429


# --- sessions ------------------------------------------------------------------------


def replayed(app, cookie: str):
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    return replay


def test_sign_in_changes_the_cookie_and_a_cookie_from_before_stays_signed_out(app, accounts):
    account, victim = accounts.make(Role.ADMIN), app.test_client()
    page = victim.get("/login")
    before = victim.get_cookie("session").value
    form = {"csrf_token": csrf_token_in(page.text)}
    form.update(email=account["email"], password=account["password"])
    assert victim.post("/login", data=form).status_code == 302
    assert victim.get_cookie("session").value != before
    assert victim.get("/admin").status_code == 200
    assert to_login(replayed(app, before).get("/admin"))


def test_a_copied_cookie_is_dead_after_sign_out(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    copied = client.get_cookie("session").value
    assert replayed(app, copied).get("/admin").status_code == 200
    assert post_form(client, "/logout", {}, form_page="/admin").status_code == 302
    assert to_login(replayed(app, copied).get("/admin"))


def test_a_password_change_by_an_administrator_ends_cookies_and_tokens(app, client, accounts):
    target = accounts.make(Role.INSTRUCTOR)
    theirs = app.test_client()
    accounts.login(target, client=theirs)
    copied, token = theirs.get_cookie("session").value, accounts.token(target)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/programmes", headers=bearer).status_code == 200
    accounts.login_as(Role.ADMIN)
    with app.app_context():
        version = db.session.get(User, target["id"]).version
    form = {"version": version, "full_name": "T", "role": "instructor", "active": "y"}
    changed = post_form(client, f"/users/{target['id']}", {**form, "password": "brand new secret"})
    assert changed.status_code == 302
    assert to_login(theirs.get("/instructor"))
    assert to_login(replayed(app, copied).get("/instructor"))
    assert client.get("/api/v1/programmes", headers=bearer).status_code == 401


def test_session_ends_after_thirty_idle_minutes(app, client, accounts, monkeypatch):
    clock = Clock(monkeypatch)
    accounts.login_as(Role.INSTRUCTOR)
    clock.move(minutes=29)
    assert client.get("/instructor").status_code == 200
    clock.move(minutes=31)
    assert to_login(client.get("/instructor"))
    assert to_login(client.get("/instructor"))  # and it stays ended


def test_session_ends_twelve_hours_after_sign_in_despite_activity(
    app, client, accounts, monkeypatch
):
    clock = Clock(monkeypatch)
    accounts.login_as(Role.INSTRUCTOR)
    for _ in range(24):  # a request every 29 minutes: 11 h 36 min
        clock.move(minutes=29)
        assert client.get("/instructor").status_code == 200
    clock.move(minutes=25)  # 12 h 1 min after sign-in, 25 minutes after the last request
    assert to_login(client.get("/instructor"))


def test_signing_in_forgets_the_accounts_ended_sessions_and_expired_tokens(
    app, accounts, monkeypatch
):
    """Closed browsers and old scripts leave rows behind; they must not pile up for years."""
    clock = Clock(monkeypatch)
    account = accounts.make(Role.INSTRUCTOR)
    for _ in range(3):  # three browsers closed without signing out, and a script's token
        accounts.login(account, client=app.test_client())
    accounts.token(account)
    clock.move(minutes=12 * 60 - 5)
    recent = app.test_client()
    accounts.login(account, client=recent)  # within the other browsers' twelve hours
    assert stored(app, UserSession, account) == 4

    clock.move(minutes=10)  # the first three are past their twelve hours, the token expired
    accounts.login(account, client=app.test_client())
    assert stored(app, UserSession, account) == 2
    assert stored(app, ApiToken, account) == 0
    assert recent.get("/instructor").status_code == 200  # a live session is kept


def stored(app, model, account) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.user_id == account["id"])
        )


# --- CSRF ----------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_every_post_page_refuses_a_form_without_token_and_changes_nothing(
    app, accounts, monkeypatch
):
    values, people = build_scenario(app, accounts, monkeypatch)
    admin = Persona(app, accounts, ADMIN, people[ADMIN])
    forged = {
        **dict.fromkeys(("title", "full_name", "reason", "code", "rank"), "Forged"),
        **{"email": "forged@example.org", "password": "a forged password"},
        **{"new_password": "a forged password", "version": "1", "role": "admin"},
    }
    with app.app_context():
        before = row_counts()
    refused, posted = [], 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        given = {**values, **PARAMETERS.get(rule.endpoint, {})}
        _, path = rule.build({name: given[name] for name in rule.arguments}, False)
        answer = admin.client.post(path, data=forged)
        posted += 1
        if answer.status_code != 400:
            refused.append(f"POST {path}: {answer.status_code}")
    assert posted >= 25 and refused == []
    with app.app_context():
        assert row_counts() == before
    assert admin.client.get("/admin").status_code == 200  # the sign-out was refused too


# --- escaping ------------------------------------------------------------------------

SCRIPT, IMG = "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'


def test_names_are_shown_escaped_on_every_page(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=[("AZ-MES", SCRIPT, IMG)])
    assert client.post(
        f"/api/v1/courses/{setup.course_id}/certificates", headers=setup.headers
    ).json["issued"]
    with app.app_context():
        code = db.session.scalar(select(Certificate.verification_code))
    accounts.login(setup.admin)
    course = f"/courses/{setup.course_id}"
    pages = [f"/trainees?q={SCRIPT}", f"/trainees/{setup.trainees[0]}", f"{course}/roster?q={IMG}"]
    tabs = ("attendance/2021-01-11", "attendance", "results", "results/A", "certificates")
    pages += [f"{course}/{tab}" for tab in tabs]
    answers = {path: client.get(path) for path in pages}
    answers["/verify"] = app.test_client().get(f"/verify/{code}")
    for path, answer in answers.items():
        assert answer.status_code == 200, path
        assert "<script>alert" not in answer.text and "<img src=x" not in answer.text, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text, path


# --- passwords -----------------------------------------------------------------------

COMMON = "Password1234"  # "password1234" is on the list, case aside


def test_common_password_refused_when_an_account_is_created(app, client, accounts):
    admin = accounts.login_as(Role.ADMIN)
    new = {"email": "new@example.org", "full_name": "New", "role": "instructor"}
    page = post_form(client, "/users/new", {**new, "password": COMMON})
    assert page.status_code == 422 and "among the most common ones" in page.text
    api = client.post(
        "/api/v1/users",
        json={**new, "password": "qwertyqwerty"},
        headers={"Authorization": f"Bearer {accounts.token(admin)}"},
    )
    assert api.status_code == 422 and "password" in api.json["error"]["fields"]
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == new["email"])) is None


def test_common_password_refused_on_the_account_form(app, client, accounts):
    me = accounts.login_as(Role.TRAINEE)
    form = {"current_password": me["password"], "new_password": COMMON, "language": ""}
    page = post_form(client, "/account", form)
    assert page.status_code == 422 and "among the most common ones" in page.text
    assert sign_in(app.test_client(), me["email"], me["password"]).status_code == 302


# --- exports -------------------------------------------------------------------------

STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_risks(response) -> tuple[int, list]:
    """(cells holding a test payload, cells a spreadsheet would run as a formula)."""
    if response.mimetype == "text/csv":
        rows = csv.reader(io.StringIO(response.text.removeprefix("\ufeff"), newline=""))
        cells = [cell for row in rows for cell in row]
        return sum("HYPERLINK" in c for c in cells), [c for c in cells if c.startswith(STARTS)]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        formulas = [n for n in sheets if re.search(rb"<(\w+:)?f[ >]", archive.read(n))]
    cells = [c for row in load_workbook(io.BytesIO(response.data)).active for c in row]
    texts = [c.value for c in cells if c.data_type == "s"]  # text: shown, never run
    risky = [c.value for c in cells if c.data_type != "s" and str(c.value).startswith(STARTS)]
    return sum("HYPERLINK" in t for t in texts), formulas + risky


def test_exports_never_hand_a_spreadsheet_a_formula(app, client, accounts, monkeypatch):
    people = [("AZ-MES", f"Name {n}", f"Name {n}") for n in range(len(STARTS))]
    setup = make_graduates(app, accounts, monkeypatch, people=people)
    with app.app_context():  # straight into the rows: forms would trim a tab or CR
        for trainee_id, start in zip(setup.trainees, STARTS, strict=True):
            trainee = db.session.get(Trainee, trainee_id)
            trainee.full_name = f'{start}HYPERLINK("http://evil.test","x")'
            trainee.full_name_latin = f"{start}cmd|' /C calc'!A0"
            trainee.rank, trainee.personal_number = f"{start}1+1", f"{start}{trainee_id}"
        db.session.get(Course, setup.course_id).title = "@SUM(1+1)"
        db.session.commit()
    issued = client.post(f"/api/v1/courses/{setup.course_id}/certificates", headers=setup.headers)
    assert len(issued.json["issued"]) == len(STARTS)
    accounts.login(setup.admin)
    course = f"/courses/{setup.course_id}"
    exports = [f"{course}/{name}" for name in ("roster.csv", "roster.xlsx")]
    exports += [f"{course}/{name}" for name in ("attendance.csv", "attendance.xlsx")]
    answers = {path: client.get(path) for path in exports}
    moment = datetime(2023, 12, 1, 8, tzinfo=UTC)  # the certificates expire within 90 days
    monkeypatch.setattr("core.clock.now", lambda: moment)
    accounts.login(setup.admin)  # years later: the earlier session is long over
    answers["expiring.csv"] = client.get("/certificates/expiring.csv")
    for path, answer in answers.items():
        assert answer.status_code == 200, path
        payloads, risks = formula_risks(answer)
        assert payloads == len(STARTS), path
        assert risks == [], path
