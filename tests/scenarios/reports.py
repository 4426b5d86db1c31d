"""The hand-built scenario of the report by organisation (see tests/test_reports.py)."""

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from courses.attendance import save_sheet
from extensions import db
from models import Course, Module, Organisation, Role, User
from tests.factories import (
    freeze,
    make_course,
    make_organisation,
    make_programme,
    make_trainee,
    module,
)
from trainees.certificates.issuing import issue, reissue, revoke
from trainees.enrolment import enrol, withdraw
from trainees.results import record_results

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


def bearer(accounts, account) -> dict:
    return {"Authorization": f"Bearer {accounts.token(account)}"}
