"""The report by organisation: every figure against a scenario built by hand.

Two ministries on one five-day course (threshold 80 %, two modules, two attempts):

  trainee  organisation  days (P present, L late, A absent, E excused)  module A (scored, 70)  B
  a1       AZ            P P P P P   100 %                               85                    pass
  a2       AZ            P L A A P    60 %  below                        50, then 75           fail
  a3       AZ            P A (withdrawn on day 2)  50 %  below           -                     -
  r1       RU            P P P P E   100 %                               90                    pass
  r2       RU            P P A P P    80 %  (not below: exactly 80)      40, then 60           pass

a1's certificate is reissued (one issued, the old one superseded), r1's is revoked.
A second RU course (another instructor) starts in March and has not ended; a course
in 2022 is outside the period.
"""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from auth.models import Role, User
from courses.attendance import save_sheet
from courses.models import Course, Module, Organisation
from courses.results import record_results
from extensions import db
from tests.factories import make_course, make_organisation, make_programme, make_trainee, module
from trainees.certificates.issuing import issue, reissue, revoke
from trainees.enrolment import enrol, withdraw

START = date(2021, 1, 11)
DAYS = [START + timedelta(days=n) for n in range(5)]
TODAY = date(2021, 1, 25)
ATTENDANCE = {
    "a1": "PPPPP",
    "a2": "PLAAP",
    "a3": "PA",
    "r1": "PPPPE",
    "r2": "PPAPP",
}
STATUS = {"P": "present", "L": "late", "A": "absent", "E": "excused"}
RESULTS = {  # module -> trainee -> attempts
    "A": {"a1": [85], "a2": [50, 75], "r1": [90], "r2": [40, 60]},
    "B": {"a1": [True], "a2": [False], "r1": [True], "r2": [True]},
}

EXPECTED_AZ = {
    "name": "Azərbaycan FHN",
    "courses": 1,
    "enrolled": 3,
    "withdrawn": 1,
    "completed": 2,
    "attendance_rate": 75.0,  # (5 + 3 + 1) / (5 + 5 + 2)
    "below_threshold": 66.7,  # a2 and a3 of three
    "below_threshold_count": 2,
    "certificates_issued": 1,
    "certificates_pending": 0,
    "certificates_revoked": 0,
    "not_qualified": 2,
    "not_qualified_reasons": {
        "attendance_below_threshold": 2,
        "days_not_recorded": 1,
        "module_not_passed": 2,
        "withdrawn": 1,
    },
    "modules": [
        {
            "code": "A",
            "title": "Module A",
            "assessed": 2,
            "first_attempt_pass_rate": 50.0,
            "pass_rate": 100.0,
        },
        {
            "code": "B",
            "title": "Module B",
            "assessed": 2,
            "first_attempt_pass_rate": 50.0,
            "pass_rate": 50.0,
        },
    ],
}
EXPECTED_RU = {
    "name": "МЧС России",
    "courses": 2,
    "enrolled": 3,
    "withdrawn": 0,
    "completed": 2,
    "attendance_rate": 88.9,  # (4 + 4) / (10 - 1)
    "below_threshold": 0.0,
    "below_threshold_count": 0,
    "certificates_issued": 1,
    "certificates_pending": 0,
    "certificates_revoked": 1,
    "not_qualified": 1,
    "not_qualified_reasons": {"module_not_passed": 1},
    "modules": [
        {
            "code": "A",
            "title": "Module A",
            "assessed": 2,
            "first_attempt_pass_rate": 50.0,
            "pass_rate": 50.0,
        },
        {
            "code": "B",
            "title": "Module B",
            "assessed": 2,
            "first_attempt_pass_rate": 100.0,
            "pass_rate": 100.0,
        },
    ],
}


def freeze(monkeypatch, day: date) -> None:
    moment = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    monkeypatch.setattr("core.clock.now", lambda: moment)


def _organisation(app, code, name, country, language) -> int:
    organisation_id = make_organisation(app, code, country, language)
    with app.app_context():
        db.session.get(Organisation, organisation_id).name = name
        db.session.commit()
    return organisation_id


def build_scenario(app, accounts, monkeypatch, extra_courses=0):
    """The scenario of the module docstring; `extra_courses` more like it (other trainees)."""
    freeze(monkeypatch, START - timedelta(days=3))
    az = _organisation(app, "AZ-MES", "Azərbaycan FHN", "AZ", "az")
    ru = _organisation(app, "RU-MCHS", "МЧС России", "RU", "ru")
    admin = accounts.make(Role.ADMIN)
    instructor = accounts.make(Role.INSTRUCTOR)
    other = accounts.make(Role.INSTRUCTOR)
    programme = make_programme(
        app,
        modules=[module("A", hours=8), module("B", hours=8, kind="practical")],
        duration_days=5,
        attendance_threshold=80,
    )
    course_ids = [
        _run_course(
            app,
            monkeypatch,
            programme,
            f"CRS-{n}",
            START + timedelta(weeks=2 * n),
            admin,
            instructor,
        )
        for n in range(extra_courses + 1)
    ]
    freeze(monkeypatch, START - timedelta(days=3))
    make_course(
        app,
        programme,
        code="LATER",
        start=date(2021, 3, 1),
        holidays=(),
        instructor_ids=[other["id"]],
        statuses=("open",),
    )
    make_course(app, programme, code="NEXT-YEAR", start=date(2022, 3, 7), holidays=())
    with app.app_context():
        later = db.session.scalar(select(Course).where(Course.code == "LATER"))
        enrol(later, make_trainee(app, "RU-MCHS"))
        db.session.commit()
    freeze(monkeypatch, TODAY + timedelta(weeks=2 * extra_courses))
    return SimpleNamespace(
        admin=admin, instructor=instructor, other=other, az=az, ru=ru, course_ids=course_ids
    )


def _run_course(app, monkeypatch, programme, code, start, admin, instructor) -> int:
    freeze(monkeypatch, start - timedelta(days=3))
    course_id = make_course(
        app,
        programme,
        code=code,
        start=start,
        holidays=(),
        statuses=("open",),
        instructor_ids=[instructor["id"]],
    )
    people = {
        name: make_trainee(app, "AZ-MES" if name[0] == "a" else "RU-MCHS") for name in ATTENDANCE
    }
    days = [start + timedelta(days=n) for n in range(5)]
    freeze(monkeypatch, days[-1] + timedelta(days=1))
    with app.app_context():
        course = db.session.get(Course, course_id)
        user = db.session.get(User, admin["id"])
        enrolments = {name: enrol(course, trainee) for name, trainee in people.items()}
        withdraw(enrolments["a3"], "Medical reasons", on=days[1])
        for index, day in enumerate(days):
            records = [
                {"trainee_id": people[name], "status": STATUS[marks[index]]}
                for name, marks in ATTENDANCE.items()
                if index < len(marks)
            ]
            save_sheet(course, day, records, user)
        modules = {m.code: m for m in db.session.scalars(select(Module))}
        for code, by_trainee in RESULTS.items():
            for attempt in range(2):
                rows = [
                    (enrolments[name], _result(code, values[attempt], days[2 + attempt]))
                    for name, values in by_trainee.items()
                    if attempt < len(values)
                ]
                record_results(course, modules[code], rows, user)
        freeze(monkeypatch, days[-1] + timedelta(days=3))
        first, _ = issue(enrolments["a1"], user)
        reissue(first, user)
        revoked, _ = issue(enrolments["r1"], user)
        revoke(revoked, "Issued in error")
        db.session.commit()
    return course_id


def _result(code: str, value, day: date) -> dict:
    return {"score" if code == "A" else "passed": value, "assessed_on": day}


def report(client, headers, **query):
    return client.get("/api/v1/reports/organisations", headers=headers, query_string=query)


def without_id(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "organisation_id"}


@pytest.fixture
def scenario(app, accounts, monkeypatch):
    return build_scenario(app, accounts, monkeypatch)


def test_every_figure_of_both_organisations(client, accounts, scenario):
    headers = {"Authorization": f"Bearer {accounts.token(scenario.admin)}"}
    answer = report(client, headers, **{"from": "2021-01-01", "to": "2021-12-31"})
    assert answer.status_code == 200, answer.text
    assert answer.json["from"] == "2021-01-01" and answer.json["to"] == "2021-12-31"
    rows = answer.json["organisations"]
    assert [row["organisation_id"] for row in rows] == [scenario.az, scenario.ru]
    assert without_id(rows[0]) == EXPECTED_AZ
    assert without_id(rows[1]) == EXPECTED_RU


def bearer(accounts, account) -> dict:
    return {"Authorization": f"Bearer {accounts.token(account)}"}


def test_the_period_defaults_to_this_year(client, accounts, scenario):
    answer = report(client, bearer(accounts, scenario.admin))
    assert (answer.json["from"], answer.json["to"]) == ("2021-01-01", "2021-12-31")
    assert [without_id(row) for row in answer.json["organisations"]] == [EXPECTED_AZ, EXPECTED_RU]


def test_courses_outside_the_period_are_not_counted(client, accounts, scenario):
    headers = bearer(accounts, scenario.admin)
    answer = report(client, headers, **{"from": "2022-01-01", "to": "2022-12-31"})
    assert answer.status_code == 200 and answer.json["organisations"] == []
    march = report(client, headers, **{"from": "2021-02-01", "to": "2021-12-31"}).json
    assert [(r["name"], r["courses"], r["enrolled"]) for r in march["organisations"]] == [
        ("МЧС России", 1, 1)
    ]


def test_one_organisation_alone(client, accounts, scenario):
    answer = report(client, bearer(accounts, scenario.admin), organisation_id=scenario.ru)
    assert [without_id(row) for row in answer.json["organisations"]] == [EXPECTED_RU]


def test_an_instructor_sees_only_the_courses_they_teach(client, accounts, scenario):
    mine = report(client, bearer(accounts, scenario.instructor)).json["organisations"]
    assert [without_id(row) for row in mine][0] == EXPECTED_AZ
    assert (mine[1]["courses"], mine[1]["enrolled"], mine[1]["certificates_revoked"]) == (1, 2, 1)
    other = report(client, bearer(accounts, scenario.other)).json["organisations"]
    assert [(r["name"], r["courses"], r["enrolled"], r["modules"]) for r in other] == [
        ("МЧС России", 1, 1, [])
    ]


def test_a_trainee_may_not_read_the_report(client, accounts, scenario):
    answer = report(client, accounts.bearer(Role.TRAINEE))
    assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2021-12-31", "to": "2021-01-01"}, "to"),
        ({"from": "31.12.2021"}, "from"),
        ({"organisation_id": "999999"}, "organisation_id"),
        ({"organisation_id": "x"}, "organisation_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_questions_are_refused_with_the_field(client, accounts, scenario, query, field):
    answer = report(client, bearer(accounts, scenario.admin), **query)
    assert answer.status_code == 422, answer.text
    error = answer.json["error"]
    assert error["code"] == "validation_error" and field in error["fields"]
