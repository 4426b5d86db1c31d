"""Shared by several test modules; first written for tests/test_certificate_pages.py."""

from tests.scenarios.certificates_api import LATE, PEOPLE, make_graduates


def graduates_signed_in(app, accounts, monkeypatch):
    """Two eligible trainees and one who is not; the administrator signed in."""
    setup = make_graduates(app, accounts, monkeypatch, people=[*PEOPLE, LATE])
    setup.tab = f"/courses/{setup.course_id}/certificates"
    accounts.login(setup.admin)
    return setup
