"""The administrator's audit page and its filters."""

import html
import re
from datetime import date

import pytest
from sqlalchemy import event, func, select

from core.audit import AuditEntry, record_many
from extensions import db
from models.account import Role
from tests.conftest import post_form
from tests.factories import make_course, make_programme
from tests.scenarios.i18n_pages import speaks


def test_audit_page_filters_by_course_and_user(app, client, accounts):
    programme_id = make_programme(app)
    first = make_course(app, programme_id, code="FIRST")
    make_course(app, programme_id, code="SECOND", start=date(2021, 6, 1), holidays=())
    admin = accounts.login_as(Role.ADMIN)
    post_form(
        client, f"/courses/{first}/status/open", {"version": "1"}, form_page=f"/courses/{first}"
    )
    by_course = client.get(f"/audit?course_id={first}").text
    # In words, with the trail's codes kept in the title.
    assert '<span title="update · courses">Change · course #' in by_course
    assert '{"status": "open"}' in html.unescape(by_course)
    assert "SECOND" not in by_course
    by_user = client.get(f"/audit?user={admin['email']}").text
    assert admin["email"] in by_user
    assert "No entry matches." in client.get("/audit?user=nobody@example.org").text


def test_the_page_says_what_was_done_in_the_readers_language(app, client, accounts):
    admin = accounts.login_as(Role.ADMIN)
    speaks(app, admin, "ru")
    page = client.get("/audit").text
    assert '<span title="sign_in · security">Вход · безопасность #' in page


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.TRAINEE])
def test_audit_page_is_for_administrators_only(client, accounts, role):
    accounts.login_as(role)
    assert client.get("/audit").status_code == 403


def test_audit_page_takes_odd_filters_without_failing(client, accounts):
    accounts.login_as(Role.ADMIN)
    response = client.get("/audit?course_id=99999999999999&page=0")
    assert response.status_code == 200


def test_a_date_that_is_not_one_is_said_next_to_it_not_ignored(client, accounts):
    """Ignored, a mistyped date listed the whole trail as if it had filtered it."""
    accounts.login_as(Role.ADMIN)
    response = client.get("/audit?since=2021-13-40&until=x")
    assert response.status_code == 422
    page = html.unescape(response.text)
    since = re.search(r'id="since-errors">(.*?)</div></div>', page, re.S).group(1)
    assert "2021-13-40 is not a date (YYYY-MM-DD)." in since
    assert "x is not a date (YYYY-MM-DD)." in page
    assert "No entry matches." in page and "0 entries" in page  # not the whole trail's count
    backwards = client.get("/audit?since=2021-02-01&until=2021-01-01")
    assert backwards.status_code == 422
    assert "The end of the period must not be before its start." in html.unescape(backwards.text)


def entries_on(page_html: str) -> list[int]:
    """The entity numbers of the page's `note` entries, in the order shown."""
    return [int(n) for n in re.findall(r"note · test_notes #(\d+)", page_html)]


def test_the_trail_is_paged_by_entry_number_newest_first(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    with app.app_context():
        record_many([("note", "test_notes", n, None, {"n": n}, None, None) for n in range(1, 251)])
        db.session.commit()
        everything = db.session.scalar(select(func.count()).select_from(AuditEntry))
    first = client.get("/audit").text
    assert f"{everything} entries" in first
    assert entries_on(first) == list(range(250, 150, -1))
    assert "Newer entries" not in first
    older = re.search(r'href="(/audit\?before=\d+)"', first).group(1)
    second = client.get(older).text
    assert entries_on(second) == list(range(150, 50, -1))
    newer = html.unescape(re.search(r'href="(/audit\?after=\d+)"', second).group(1))
    assert entries_on(client.get(newer).text) == list(range(250, 150, -1))

    assert "Older entries" not in client.get("/audit?after=0").text.split("</table>")[1]

    # Filtered, the count is the filter's, and the links keep the filter.
    nobody = client.get("/audit?user=nobody@example.org&before=999999").text
    assert "No entry matches." in nobody and "0 entries" in nobody
    notes = client.get("/audit", query_string={"course_id": "", "since": "2000-01-01"}).text
    link = re.search(r'href="(/audit\?before=[^"]+)"', notes).group(1)
    assert "since=2000-01-01" in html.unescape(link)

    # Deep in the trail the database is asked from an entry number on, never to skip rows.
    statements = []

    def seen(_connection, _cursor, statement, parameters, *_args):
        statements.append((statement.upper(), parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        client.get("/audit?before=3")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    [(read, parameters)] = [s for s in statements if "FROM AUDIT_ENTRIES" in s[0]]
    assert "AUDIT_ENTRIES.ID <" in read
    # SQLite writes LIMIT ? OFFSET ? for any limit: the offset is then 0, nothing skipped.
    assert "OFFSET" not in read or list(parameters)[-1] == 0
