"""Home pages: today's courses, sheets not yet taken, certificates waiting and expiring."""

import re
from datetime import date, timedelta

from sqlalchemy import event, update

from extensions import db
from models import Course, CourseStatus, Role
from tests.factories import freeze
from tests.scenarios.attendance_api import TODAY, make_setup
from tests.scenarios.attendance_pages import save
from tests.scenarios.certificate_approvals import (
    approvals_needed,
    approve,
    approver,
    organisation_id,
)
from tests.scenarios.certificates_api import correct_a_day, issue, make_graduates, rows


def listed(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</ul>")[0]


def test_instructor_home_shows_todays_course_and_the_sheet_not_yet_taken(
    app, client, accounts, monkeypatch
):
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts)
    accounts.login(setup.instructor)
    html = client.get("/instructor").text
    assert "AGH-1 · Course AGH-1" in listed(html, "today-courses")
    assert f"/courses/{setup.id}/attendance/{TODAY.isoformat()}" in listed(html, "sheets-missing")
    save(app, setup.id, setup.instructor, TODAY, dict.fromkeys(setup.trainees, "present"))
    html = client.get("/instructor").text
    assert "Every sheet of today is taken." in listed(html, "sheets-missing")
    other = app.test_client()
    accounts.login(accounts.make(Role.INSTRUCTOR), client=other)
    assert "No course trains today." in listed(other.get("/instructor").text, "today-courses")


def test_a_course_left_in_progress_leaves_the_instructors_day_a_month_after_it_ended(
    app, client, accounts, monkeypatch
):
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts)  # AGH-1 ends on 2021-02-24, still "in progress"
    freeze(monkeypatch, date(2021, 3, 27))  # 31 days after its last day
    accounts.login(setup.instructor)
    assert "AGH-1" in client.get("/instructor").text
    freeze(monkeypatch, date(2021, 3, 28))
    accounts.login(setup.instructor)
    assert "AGH-1" not in client.get("/instructor").text


def test_admin_home_shows_certificates_waiting_and_expiring(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch)
    accounts.login(setup.admin)
    html = client.get("/admin").text
    assert "CRS-1</a>: 2 eligible trainees have no certificate yet." in listed(
        html, "certificates-waiting"
    )
    assert issue(client, setup, 0).status_code == 201
    html = client.get("/admin").text
    assert "CRS-1</a>: 1 eligible trainee has no certificate yet." in listed(
        html, "certificates-waiting"
    )
    assert "None." in listed(html, "certificates-expiring")
    certificate = rows(app)[0]
    freeze(monkeypatch, certificate.expires_on - timedelta(days=30))
    later = app.test_client()  # three years on, the old session has long ended
    accounts.login(setup.admin, client=later)
    html = later.get("/admin").text
    assert certificate.number in listed(html, "certificates-expiring")
    assert "No certificate is waiting." in listed(html, "certificates-waiting")


def test_admin_home_cards_each_have_their_title(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch)
    accounts.login(setup.admin)
    html = client.get("/admin").text
    card = r'<div class="col-12 col-md-6">\s*<div class="card h-100"><div class="card-body">'
    titles = re.findall(card + r'\s*<h2 class="h5 card-title">([^<]+)</h2>', html)
    assert titles == [
        "Training today",
        "Sheets not yet taken today",
        "Certificates waiting",
        "Certificates expiring within 90 days",
        "Accounts",
        "Organisations",
    ]
    assert html.count('<div class="card h-100">') == 6


def test_admin_home_runs_as_many_queries_for_several_courses_as_for_one(
    app, client, accounts, monkeypatch, count_queries
):
    first = make_graduates(app, accounts, monkeypatch)  # CRS-1, ended Friday 15 January
    today = date(2021, 1, 18)  # the Monday after, where make_graduates leaves the clock
    accounts.login(first.admin)

    def counted() -> tuple[int, str]:
        client.get("/admin")  # once first, as a page is opened again and again
        with count_queries() as counter:
            html = client.get("/admin").text
        return counter.count, listed(html, "certificates-waiting")

    one, waiting = counted()
    assert "CRS-1</a>: 2 eligible trainees have no certificate yet." in waiting
    for code, start, programme in (
        ("CRS-2", date(2020, 12, 14), "EOD-2"),
        ("CRS-3", date(2020, 12, 28), "EOD-3"),
        ("CRS-4", date(2020, 11, 30), "EOD-2-B"),
    ):
        make_graduates(
            app,
            accounts,
            monkeypatch,
            start=start,
            today=today,
            admin=first.admin,
            programme=programme,
            code=code,
        )
    several, waiting = counted()
    for code in ("CRS-1", "CRS-2", "CRS-3", "CRS-4"):
        assert f"{code}</a>: 2 eligible trainees have no certificate yet." in waiting
    assert several == one


def test_admin_home_reads_no_course_completed_more_than_a_year_ago(
    app, client, accounts, monkeypatch
):
    """Years of completed courses pile up; the home page reads the running and recent ones.

    A certificate of an old course still shows when it is about to expire.
    """
    setup = make_graduates(app, accounts, monkeypatch)
    assert issue(client, setup, 0).status_code == 201
    with app.app_context():
        db.session.execute(update(Course).values(status=CourseStatus.COMPLETED))
        db.session.commit()
    certificate = rows(app)[0]
    freeze(monkeypatch, certificate.expires_on - timedelta(days=30))  # years after the course
    later = app.test_client()
    accounts.login(setup.admin, client=later)
    read = []

    def course_read(course, _context):
        read.append(course.code)

    event.listen(Course, "load", course_read)
    try:
        html = later.get("/admin").text
    finally:
        event.remove(Course, "load", course_read)
    assert "CRS-1" not in read
    assert certificate.number in listed(html, "certificates-expiring")

    # Left "in progress" long after it ended: still not read.
    with app.app_context():
        db.session.execute(update(Course).values(status=CourseStatus.IN_PROGRESS))
        db.session.commit()
    read.clear()
    event.listen(Course, "load", course_read)
    try:
        later.get("/admin")
    finally:
        event.remove(Course, "load", course_read)
    assert read == []

    # Once expired it is due a refresher, no longer "expiring".
    freeze(monkeypatch, certificate.expires_on + timedelta(days=1))
    accounts.login(setup.admin, client=later)  # a month on: signed in again
    html = later.get("/admin").text
    assert certificate.number not in listed(html, "certificates-expiring")


def test_admin_home_counts_certificates_awaiting_approval_apart(app, client, accounts, monkeypatch):
    """A certificate waiting for the ministries is not "no certificate yet": it is counted
    as waiting for their approval, until both have approved."""
    setup = make_graduates(app, accounts, monkeypatch)
    approvals_needed(app)
    accounts.login(setup.admin)
    number = issue(client, setup, 0).json["number"]
    waiting = listed(client.get("/admin").text, "certificates-waiting")
    assert (
        "CRS-1</a>: 1 eligible trainee has no certificate yet. "
        "1 certificate waits for the ministries' approval." in waiting
    )
    assert issue(client, setup, 1).status_code == 201
    waiting = listed(client.get("/admin").text, "certificates-waiting")
    assert "CRS-1</a>: 2 certificates wait for the ministries' approval." in waiting
    assert "no certificate yet" not in waiting
    for organisation, name in (("AZ-MES", "Həsənov Elçin"), ("RU-MCHS", "Петров Иван")):
        assert (
            approve(client, approver(app, accounts, organisation, name), number).status_code == 200
        )
    waiting = listed(client.get("/admin").text, "certificates-waiting")
    assert "CRS-1</a>: 1 certificate waits for the ministries' approval." in waiting


def test_an_approvers_home_says_what_waits_for_their_signature(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch)
    approvals_needed(app)
    for index in (0, 1):
        assert issue(client, setup, index).status_code == 201
    az = accounts.make(
        Role.INSTRUCTOR,
        full_name="Həsənov Elçin",
        organisation_id=organisation_id(app, "AZ-MES"),
        position="Head of demining",
        rank="colonel",
        approver=True,
    )
    own = app.test_client()
    accounts.login(az, own)
    home = own.get("/instructor").text
    said = re.search(r'data-testid="for-my-approval">(.*?)</div>', home, re.S).group(1)
    assert "2 certificates wait for your approval." in said
    assert 'href="/approvals"' in said
    headers = {"Authorization": f"Bearer {accounts.token(az)}"}
    url = f"/api/v1/courses/{setup.course_id}/certificates/approve"
    assert client.post(url, headers=headers).status_code == 200
    assert 'data-testid="for-my-approval"' not in own.get("/instructor").text
    # Still waiting for the other ministry, but no longer for this approver; an
    # administrator who approves nothing is not asked.
    admin = app.test_client()
    accounts.login(setup.admin, admin)
    assert "wait for the ministries' approval" in admin.get("/admin").text
    assert 'data-testid="for-my-approval"' not in admin.get("/admin").text


def test_admin_home_counts_a_revoked_trainee_only_once_earned_again(
    app, client, accounts, monkeypatch
):
    """The home counts what the certificates tab offers: a trainee whose certificate was
    revoked is not "without a certificate" until a record has changed since."""
    setup = make_graduates(app, accounts, monkeypatch)
    number = issue(client, setup, 0).json["number"]
    assert issue(client, setup, 1).status_code == 201
    client.post(
        f"/api/v1/certificates/{number}/revoke",
        headers=setup.headers,
        json={"reason": "Day 1 to be corrected"},
    )
    accounts.login(setup.admin)
    assert "No certificate is waiting." in listed(client.get("/admin").text, "certificates-waiting")
    correct_a_day(client, setup, "late", trainee=0)
    waiting = listed(client.get("/admin").text, "certificates-waiting")
    assert "CRS-1</a>: 1 eligible trainee has no certificate yet." in waiting


def test_a_day_cancelled_for_the_weather_says_so_with_its_reason(
    app, client, accounts, monkeypatch
):
    """Not "no training today (rest day or holiday)": the instructor's day and the
    trainee's dashboard give the reason everyone was told."""
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts)
    admin = accounts.bearer(Role.ADMIN)
    answer = client.post(
        f"/api/v1/courses/{setup.id}/days/{TODAY.isoformat()}/cancel",
        headers=admin,
        json={"reason": "Storm over the range", "make_up": True},
    )
    assert answer.status_code == 200, answer.text
    accounts.login(setup.instructor)
    status = re.search(r'data-testid="today-status">([^<]*)<', client.get("/instructor").text)
    assert status.group(1) == "Today's training is cancelled: Storm over the range"
    trainee = app.test_client()
    accounts.login(accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0]), client=trainee)
    page = trainee.get("/me").text
    cancelled = re.search(r'data-testid="cancelled-today">([^<]*)<', page)
    assert cancelled.group(1) == "training is cancelled (Storm over the range)"
    assert "no module planned" not in page
