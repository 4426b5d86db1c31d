"""The administrator's audit page and its filters."""

import html
from datetime import date

import pytest

from models.account import Role
from tests.conftest import post_form
from tests.factories import make_course, make_programme


def test_audit_page_filters_by_course_and_user(app, client, accounts):
    programme_id = make_programme(app)
    first = make_course(app, programme_id, code="FIRST")
    make_course(app, programme_id, code="SECOND", start=date(2021, 6, 1), holidays=())
    admin = accounts.login_as(Role.ADMIN)
    post_form(
        client, f"/courses/{first}/status/open", {"version": "1"}, form_page=f"/courses/{first}"
    )
    by_course = client.get(f"/audit?course_id={first}").text
    assert "update · courses #" in by_course
    assert '{"status": "open"}' in html.unescape(by_course)
    assert "SECOND" not in by_course
    by_user = client.get(f"/audit?user={admin['email']}").text
    assert admin["email"] in by_user
    assert "No entry matches." in client.get("/audit?user=nobody@example.org").text


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.TRAINEE])
def test_audit_page_is_for_administrators_only(client, accounts, role):
    accounts.login_as(role)
    assert client.get("/audit").status_code == 403


def test_audit_page_takes_odd_filters_without_failing(client, accounts):
    accounts.login_as(Role.ADMIN)
    response = client.get("/audit?course_id=99999999999999&since=2021-13-40&until=x&page=0")
    assert response.status_code == 200
