"""Abuse that cannot shut people out: a stranger's guesses slow the stranger down.

The attack that worked: five wrong passwords from anywhere locked the instructor
out for fifteen minutes, again and again. Now failures lock the client that makes
them (account and address, or account and remembered device), with delays that
grow; the account as a whole only against many addresses, shortly, and never
against a browser that has signed in to it before.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from auth.throttling import DEVICE_COOKIE, SignInCounter
from core.audit import AuditEntry
from extensions import db
from models import Role
from tests.conftest import csrf_token_in


class Clock:
    def __init__(self, monkeypatch):
        self.offset = timedelta()
        monkeypatch.setattr("core.clock.now", lambda: datetime.now(UTC) + self.offset)

    def move(self, **delta):
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in(client, email, password):
    page = client.get("/login")
    data = {"csrf_token": csrf_token_in(page.text), "email": email, "password": password}
    return client.post("/login", data=data)


def fail(client, email, times=5):
    return [sign_in(client, email, "not the password").status_code for _ in range(times)]


def test_a_strangers_failures_never_lock_the_owner_out(app, accounts, clock):
    owner = accounts.make(Role.INSTRUCTOR)
    stranger = from_address(app, "203.0.113.66")
    for _ in range(3):  # again and again, as the attack did
        assert fail(stranger, owner["email"], 6)[-1] == 429
        clock.move(minutes=1)
    office = from_address(app, "198.51.100.10")
    assert sign_in(office, owner["email"], owner["password"]).status_code == 302


def test_each_lock_of_a_client_lasts_twice_as_long(app, accounts, clock):
    owner = accounts.make(Role.INSTRUCTOR)
    stranger = from_address(app, "203.0.113.66")
    waits = []
    for _ in range(3):
        fail(stranger, owner["email"])
        answer = stranger.post(
            "/api/v1/tokens", json={"email": owner["email"], "password": "not the password"}
        )
        assert answer.status_code == 429
        waits.append(int(answer.headers["Retry-After"]))
        clock.move(seconds=waits[-1] + 1)
    assert [round(wait / 60) for wait in waits] == [1, 2, 4]


def test_many_addresses_lock_the_account_briefly_but_not_a_remembered_device(app, accounts, clock):
    owner = accounts.make(Role.INSTRUCTOR)
    laptop = from_address(app, "198.51.100.10")
    assert sign_in(laptop, owner["email"], owner["password"]).status_code == 302
    assert laptop.get_cookie(DEVICE_COOKIE) is not None
    home = laptop.get("/", follow_redirects=True)
    signed_out = laptop.post("/logout", data={"csrf_token": csrf_token_in(home.text)})
    assert signed_out.status_code == 302
    for n in range(5):  # a botnet: five addresses, four guesses each
        fail(from_address(app, f"203.0.113.{n + 1}"), owner["email"], 4)
    new_place = from_address(app, "192.0.2.7")
    refused = sign_in(new_place, owner["email"], owner["password"])
    assert refused.status_code == 429
    assert "Try again in 5 minutes." in refused.text
    # The laptop that signed in before still gets in, with the right password.
    assert sign_in(laptop, owner["email"], owner["password"]).status_code == 302
    clock.move(minutes=5, seconds=1)
    assert sign_in(new_place, owner["email"], owner["password"]).status_code == 302


def test_a_forged_device_cookie_is_no_way_around_the_lock(app, accounts, clock):
    owner = accounts.make(Role.INSTRUCTOR)
    for n in range(5):
        fail(from_address(app, f"203.0.113.{n + 1}"), owner["email"], 4)
    forger = from_address(app, "192.0.2.7")
    forger.set_cookie(DEVICE_COOKIE, f'[{owner["id"]}, "abc"].forged')
    assert sign_in(forger, owner["email"], owner["password"]).status_code == 429


def counts(app) -> tuple[int, int]:
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(SignInCounter))
        entries = db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "sign_in_failed")
        )
        return rows, entries


def test_failures_with_unknown_emails_are_counted_per_address_and_minute(app, clock):
    scanner = from_address(app, "203.0.113.99")
    statuses = [
        sign_in(scanner, f"guess{n}@example.org", "whatever password").status_code for n in range(5)
    ]
    assert statuses == [401] * 5
    assert counts(app) == (1, 1)  # one row, one trail entry: not five of each
    assert sign_in(scanner, "guess6@example.org", "whatever").status_code == 429
    assert counts(app) == (1, 1)  # a refused attempt writes nothing
    clock.move(minutes=1, seconds=1)
    assert sign_in(scanner, "guess7@example.org", "whatever").status_code == 401
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "sign_in_failed")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.after["earlier_failures"] == 5
        assert entry.address == "203.0.113.99"


@pytest.mark.parametrize("first", ["unknown", "known"])
def test_a_locked_address_says_nothing_of_which_e_mails_have_accounts(app, accounts, clock, first):
    """Unknown e-mails locked their address after five failures, while an account's e-mail
    still answered 401 there: a clean oracle of who has an account."""
    owner = accounts.make(Role.INSTRUCTOR)
    prober = from_address(app, "203.0.113.77")
    guesses = [f"guess{n}@example.org" for n in range(4)]
    emails = [*guesses, owner["email"]] if first == "unknown" else [owner["email"], *guesses]
    assert [sign_in(prober, email, "not the password").status_code for email in emails] == [401] * 5
    known = sign_in(prober, owner["email"], owner["password"])
    unknown = sign_in(prober, "someone-else@example.org", "not the password")
    assert (known.status_code, unknown.status_code) == (429, 429)
    # The same page but for the e-mail typed and the form's token (signed with the second).
    shown = [
        re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", answer.text.replace(email, ""))
        for answer, email in ((known, owner["email"]), (unknown, "someone-else@example.org"))
    ]
    assert shown[0] == shown[1]
    elsewhere = from_address(app, "198.51.100.10")  # the owner, from their office
    assert sign_in(elsewhere, owner["email"], owner["password"]).status_code == 302


def test_a_quiet_day_after_a_lock_starts_the_delays_again(app, accounts, clock):
    """An office behind one address is not kept out longer and longer by old mistakes."""
    owner = accounts.make(Role.INSTRUCTOR)
    office = from_address(app, "198.51.100.10")
    for _ in range(3):
        fail(office, owner["email"])
        clock.move(minutes=5)
    clock.move(days=1, minutes=5)
    fail(office, owner["email"])
    answer = office.post(
        "/api/v1/tokens", json={"email": owner["email"], "password": "not the password"}
    )
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) <= 60
