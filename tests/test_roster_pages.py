"""A course's roster tab: seats per organisation, enrol, withdraw, who may, downloads."""

import csv
import html
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from extensions import db
from models import Enrolment
from models.account import Role
from tests.conftest import csrf_token_in, post_form
from tests.factories import freeze, make_course, make_organisation, make_programme, make_trainee
from tests.scenarios.roster_pages import course_with_organisations, enrolled, enrolment_of, flashed
from trainees.enrolment import withdraw

HEADER = ["Organisation", "Personal number", "Rank", "Full name", "Full name (Latin)"]
HEADER += ["Status", "Withdrawn on", "Reason"]
PLAIN = ["AZ-FHN", "AZ-1", "leytenant", "Əli Məmmədov", "Əli Məmmədov", "enrolled"]
RANK = '=HYPERLINK("http://evil.example","x")'
REASON = "=cmd|' /C calc'!A0"
HOSTILE = ["RU-MCHS", "@SUM(1+1)", RANK, "+Иван Петров", "-Ivan Petrov", "withdrawn"]


def table_rows(page: str, testid: str) -> list[list[str]]:
    table = re.search(rf'data-testid="{testid}">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert table, f"no {testid} table"
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def test_seats_per_organisation_against_quotas(app, client, accounts):
    course_id = course_with_organisations(app, quotas={"AZ-FHN": 2, "RU-MCHS": 3})
    people = [make_trainee(app, "AZ-FHN") for _ in range(2)]
    people += [make_trainee(app, "RU-MCHS") for _ in range(2)]
    enrolments = enrolled(app, course_id, *people)
    with app.app_context():
        withdraw(db.session.get(Enrolment, enrolments[-1]), "Left the service")
        db.session.commit()
    accounts.login_as(Role.ADMIN)
    page = client.get(f"/courses/{course_id}/roster").text
    assert table_rows(page, "seats") == [
        ["AZ-FHN", "2", "2"],
        ["RU-MCHS", "1", "3"],
        ["Total", "3", "24 seats"],
    ]
    assert '<tr class="table-warning"><td>AZ-FHN</td>' in page
    assert len(table_rows(page, "roster")) == 4


def test_admin_finds_and_enrols_a_trainee(app, client, accounts):
    course_id = course_with_organisations(app)
    trainee_id = make_trainee(app, "AZ-FHN", full_name="Əli Məmmədov", personal_number="AZ-1")
    make_trainee(app, "AZ-FHN", full_name="Rəşad Quliyev")
    accounts.login_as(Role.ADMIN)
    roster = f"/courses/{course_id}/roster"
    found = client.get(roster, query_string={"q": "məmmədov"}).text
    assert "Enrol Əli Məmmədov" in found
    assert "Enrol Rəşad Quliyev" not in found
    assert "No trainee off this course matches." in client.get(f"{roster}?q=nobody").text
    response = post_form(
        client, f"{roster}/enrol", {"trainee_id": str(trainee_id)}, form_page=f"{roster}?q=az-1"
    )
    assert "Əli Məmmədov is enrolled." in flashed(client, response)
    page = client.get(roster).text
    row = table_rows(page, "roster")[0]
    assert [row[2], row[3], row[4], row[0], row[1], row[5]] == PLAIN
    assert "Enrol Əli Məmmədov" not in client.get(roster, query_string={"q": "az-1"}).text
    assert enrolment_of(app, trainee_id).status == "enrolled"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"capacity": 1}, "The course is full: its one seat is taken."),
        ({"quotas": {"AZ-FHN": 1}}, "AZ-FHN has used its quota of 1 seat on this course."),
        ({"statuses": ["cancelled"]}, "The course is cancelled: nobody can join it."),
        (
            {"clearance": date(2021, 2, 1)},
            "Əli Məmmədov's medical clearance ends on Feb 1, 2021, before the course ends "
            "(Feb 24, 2021).",
        ),
    ],
)
def test_enrol_refusals_are_flashed(app, client, accounts, setup, message):
    setup = dict(setup)
    clearance = setup.pop("clearance", date(2030, 1, 1))
    course_id = course_with_organisations(app, **setup)
    if "statuses" not in setup:
        enrolled(app, course_id, make_trainee(app, "AZ-FHN"))
    trainee_id = make_trainee(
        app, "AZ-FHN", full_name="Əli Məmmədov", medical_clearance_until=clearance
    )
    accounts.login_as(Role.ADMIN)
    roster = f"/courses/{course_id}/roster"
    response = post_form(client, f"{roster}/enrol", {"trainee_id": str(trainee_id)})
    assert message in flashed(client, response)
    assert enrolment_of(app, trainee_id) is None


def test_search_offers_a_trainee_behind_twenty_enrolled_namesakes(app, client, accounts):
    course_id = course_with_organisations(app)
    namesakes = [make_trainee(app, "AZ-FHN", full_name=f"Aa Məmmədov {i:02d}") for i in range(20)]
    enrolled(app, course_id, *namesakes)
    make_trainee(app, "AZ-FHN", full_name="Zaur Məmmədov")
    accounts.login_as(Role.ADMIN)
    page = client.get(f"/courses/{course_id}/roster", query_string={"q": "Məmmədov"}).text
    assert "Enrol Zaur Məmmədov" in page


def test_withdrawal_with_a_reason_is_shown_with_its_date(app, client, accounts, monkeypatch):
    freeze(monkeypatch, date(2021, 1, 18))
    course_id = course_with_organisations(app)
    trainee_id = make_trainee(app, "AZ-FHN", full_name="Əli Məmmədov")
    (enrolment_id,) = enrolled(app, course_id, trainee_id)
    accounts.login_as(Role.ADMIN)
    roster = f"/courses/{course_id}/roster"
    response = post_form(
        client,
        f"/enrolments/{enrolment_id}/withdraw",
        {"version": "1", "reason": "Injured hand", "date": "2021-01-15", "confirm": "yes"},
        form_page=roster,
    )
    assert "Əli Məmmədov is withdrawn." in flashed(client, response)
    row = table_rows(client.get(roster).text, "roster")[0]
    assert row[5] == "withdrawn Jan 15, 2021: Injured hand"
    enrolment = enrolment_of(app, trainee_id)
    assert (enrolment.status, enrolment.withdrawn_on) == ("withdrawn", date(2021, 1, 15))
    assert enrolment.withdrawal_reason == "Injured hand"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reason": "   "}, "Give the reason for the withdrawal."),
        ({"date": "2021-01-19"}, "A withdrawal cannot be dated in the future."),
        ({"version": "7"}, "Someone else changed this enrolment; reload and try again."),
    ],
)
def test_withdrawal_refusals_change_nothing(app, client, accounts, monkeypatch, values, message):
    freeze(monkeypatch, date(2021, 1, 18))
    course_id = course_with_organisations(app)
    trainee_id = make_trainee(app, "AZ-FHN")
    (enrolment_id,) = enrolled(app, course_id, trainee_id)
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        f"/enrolments/{enrolment_id}/withdraw",
        {"version": "1", "reason": "Injured hand", "confirm": "yes", **values},
        form_page=f"/courses/{course_id}/roster",
    )
    assert message in flashed(client, response)
    enrolment = enrolment_of(app, trainee_id)
    assert (enrolment.status, enrolment.withdrawn_on) == ("enrolled", None)


def test_the_course_instructor_reads_the_roster_but_cannot_change_it(app, client, accounts):
    instructor = accounts.make(Role.INSTRUCTOR)
    course_id = course_with_organisations(app, instructor_ids=[instructor["id"]])
    trainee_id = make_trainee(app, "AZ-FHN", full_name="Əli Məmmədov")
    other_id = make_trainee(app, "AZ-FHN", full_name="Rəşad Quliyev")
    (enrolment_id,) = enrolled(app, course_id, trainee_id)
    accounts.login(instructor)
    roster = f"/courses/{course_id}/roster"
    page = client.get(roster, query_string={"q": "Quliyev"})
    assert page.status_code == 200
    assert table_rows(page.text, "roster")[0][0] == "Əli Məmmədov"
    assert "Enrol a trainee" not in page.text
    assert "Rəşad Quliyev" not in page.text
    assert "/withdraw" not in page.text
    token = csrf_token_in(page.text)
    enrol_post = client.post(f"{roster}/enrol", data={"csrf_token": token, "trainee_id": other_id})
    assert enrol_post.status_code == 403
    withdraw_post = client.post(
        f"/enrolments/{enrolment_id}/withdraw",
        data={"csrf_token": token, "version": "1", "reason": "Because"},
    )
    assert withdraw_post.status_code == 403
    assert enrolment_of(app, other_id) is None
    assert enrolment_of(app, trainee_id).status == "enrolled"


def test_another_instructor_gets_403(app, client, accounts):
    course_id = course_with_organisations(
        app, instructor_ids=[accounts.make(Role.INSTRUCTOR)["id"]]
    )
    accounts.login_as(Role.INSTRUCTOR)
    for suffix in ("roster", "roster.csv", "roster.xlsx"):
        assert client.get(f"/courses/{course_id}/{suffix}").status_code == 403, suffix


@pytest.mark.parametrize("role", [Role.ADMIN, Role.INSTRUCTOR])
def test_roster_runs_a_fixed_number_of_queries(app, client, accounts, count_queries, role):
    instructor = accounts.make(Role.INSTRUCTOR)
    make_organisation(app, code="AZ-FHN")
    make_organisation(app, code="RU-MCHS", country="RU", language="ru")
    programme_id = make_programme(app)
    quotas = {"AZ-FHN": 12, "RU-MCHS": 12}
    small = make_course(
        app, programme_id, code="S", instructor_ids=[instructor["id"]], quotas=quotas
    )
    large = make_course(
        app,
        programme_id,
        code="L",
        start=date(2021, 6, 1),
        holidays=(),
        instructor_ids=[instructor["id"]],
        quotas=quotas,
    )
    enrolled(app, small, make_trainee(app, "AZ-FHN"), make_trainee(app, "RU-MCHS"))
    enrolled(app, large, *[make_trainee(app, ("AZ-FHN", "RU-MCHS")[i % 2]) for i in range(20)])
    if role == Role.ADMIN:
        accounts.login_as(Role.ADMIN)
    else:
        accounts.login(instructor)
    counts = []
    for course_id in (small, large):
        with count_queries() as counter:
            assert client.get(f"/courses/{course_id}/roster").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def exported_course(app, instructor_ids=()) -> int:
    """A course with a plain trainee and one whose every field would be a formula."""
    course_id = course_with_organisations(app, instructor_ids=instructor_ids)
    plain = make_trainee(app, "AZ-FHN", personal_number="AZ-1", full_name="Əli Məmmədov")
    hostile = make_trainee(
        app,
        "RU-MCHS",
        personal_number="@SUM(1+1)",
        rank=RANK,
        full_name="+Иван Петров",
        full_name_latin="-Ivan Petrov",
    )
    _, hostile_enrolment = enrolled(app, course_id, plain, hostile)
    with app.app_context():
        withdraw(db.session.get(Enrolment, hostile_enrolment), REASON, date(2021, 1, 15))
        db.session.commit()
    return course_id


def test_roster_csv_reads_back_and_cannot_run_formulas(app, client, accounts):
    course_id = exported_course(app)
    accounts.login_as(Role.ADMIN)
    response = client.get(f"/courses/{course_id}/roster.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="AGH-1-roster.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert rows[1] == [*PLAIN, "", ""]
    hostile = [*HOSTILE, "2021-01-15", REASON]
    assert rows[2] == ["'" + cell if cell[0] in "=+-@" else cell for cell in hostile]


def test_roster_xlsx_reads_back_as_text_never_formulas(app, client, accounts):
    instructor = accounts.make(Role.INSTRUCTOR)
    course_id = exported_course(app, instructor_ids=[instructor["id"]])
    accounts.login(instructor)  # the course's instructor may download it too
    response = client.get(f"/courses/{course_id}/roster.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert rows[1][:6] == PLAIN
    assert rows[2] == [*HOSTILE, "2021-01-15", REASON]
    assert {cell.data_type for cell in sheet[3]} == {"s"}


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "trainee_id",
    [
        "424242",
        HUGE,
    ],
)
def test_enrolling_a_trainee_that_does_not_exist_is_refused(app, client, accounts, trainee_id):
    course_id = course_with_organisations(app)
    accounts.login_as(Role.ADMIN)
    roster = f"/courses/{course_id}/roster"
    response = post_form(client, f"{roster}/enrol", {"trainee_id": trainee_id})
    assert f"There is no trainee number {trainee_id}." in flashed(client, response)
