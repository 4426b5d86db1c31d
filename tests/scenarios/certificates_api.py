"""Shared by several test modules; first written for tests/test_certificates_api.py."""

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from courses.attendance import save_sheet
from extensions import db
from models import Course
from models.account import Role, User
from models.certificate import Certificate
from tests.factories import (
    freeze,
    make_course,
    make_organisation,
    make_programme,
    make_trainee,
    module,
)
from trainees.enrolment import enrol

START = date(2021, 1, 11)  # a Monday: five training days, Monday to Friday


MODULES = [module("A", hours=8), module("B", hours=8, kind="practical")]


ORGANISATIONS = {"AZ-MES": ("AZ", "az"), "RU-MCHS": ("RU", "ru")}


LATE = ("AZ-MES", "Xəlilov Orxan", "Khalilov Orkhan", False)  # missed two days, passed nothing


REASONS = [
    ("module_not_passed", "Module A (Module A) is not passed."),
    ("module_not_passed", "Module B (Module B) is not passed."),
    ("attendance_below_threshold", "Attendance is 60.0%, below the 90% required."),
]


PEOPLE = [("AZ-MES", "Əliyev Rauf", "Aliyev Rauf"), ("RU-MCHS", "Иванов Пётр", "")]


def make_graduates(
    app,
    accounts,
    monkeypatch,
    people=PEOPLE,
    start=START,
    today=None,
    admin=None,
    programme="EOD-1",
    trainees=None,
    **course,
):
    """A finished five-day course of people (organisation, name, latin[, passed]), enrolled.

    `passed` (default) attended every day and passed both modules; the others missed two
    days and passed nothing. The clock is left at `today` (default: the Monday after).
    Given the `admin` of an earlier call, the same organisations and administrator serve
    another course, of its own `programme` code; given `trainees` (ids, one per person),
    those trainees take it again.
    """
    people = [(*person, True)[:4] for person in people]
    freeze(monkeypatch, start - timedelta(days=3))
    if admin is None:
        for code, (country, language) in ORGANISATIONS.items():
            make_organisation(app, code, country, language)
        admin = accounts.make(Role.ADMIN, full_name="Admin Nəsirov")
    programme_id = make_programme(app, code=programme, modules=MODULES, duration_days=5)
    course_id = make_course(
        app,
        programme_id,
        code=course.pop("code", "CRS-1"),
        start=start,
        holidays=(),
        quotas=dict.fromkeys(ORGANISATIONS, 20),
        statuses=("open",),
        **course,
    )
    trainees = trainees or [
        make_trainee(app, org, full_name=name, full_name_latin=latin)
        for org, name, latin, _ in people
    ]
    days = [start + timedelta(days=n) for n in range(5)]
    freeze(monkeypatch, days[-1] + timedelta(days=1))
    with app.app_context():
        course_row = db.session.get(Course, course_id)
        enrolments = [enrol(course_row, trainee_id).id for trainee_id in trainees]
        user = db.session.get(User, admin["id"])
        for index, day in enumerate(days):
            records = [
                {"trainee_id": trainee, "status": "present" if passed or index > 1 else "absent"}
                for trainee, (*_, passed) in zip(trainees, people, strict=True)
            ]
            save_sheet(course_row, day, records, user)
        db.session.commit()
    headers = {"Authorization": f"Bearer {accounts.token(admin)}"}
    client = app.test_client()
    for enrolment_id, (*_, passed) in zip(enrolments, people, strict=True):
        for code, body in (("A", {"score": 85}), ("B", {"passed": True})) if passed else ():
            url = f"/api/v1/enrolments/{enrolment_id}/results/{code}"
            body["assessed_on"] = days[-1].isoformat()
            answer = client.post(url, headers=headers, json=body)
            assert answer.status_code == 201, answer.text
    freeze(monkeypatch, today or start + timedelta(days=7))
    headers = {"Authorization": f"Bearer {accounts.token(admin)}"}  # the first has expired
    return SimpleNamespace(
        course_id=course_id, enrolments=enrolments, trainees=trainees, admin=admin, headers=headers
    )


def issue(client, setup, index=0):
    url = f"/api/v1/enrolments/{setup.enrolments[index]}/certificate"
    return client.post(url, headers=setup.headers)


def rows(app) -> list[Certificate]:
    with app.app_context():
        return db.session.scalars(select(Certificate).order_by(Certificate.id)).all()


def verify(client, code):
    return client.get(f"/api/v1/verify/{code}")


def correct_a_day(client, setup, status: str, trainee: int = 0) -> None:
    """The administrator corrects the course's first day for one trainee (by position)."""
    url = f"/api/v1/courses/{setup.course_id}/attendance/{START.isoformat()}"
    sheet = client.get(url, headers=setup.headers).json
    records = [
        {"trainee_id": r["trainee_id"], "status": status if i == trainee else r["status"]}
        for i, r in enumerate(sheet["records"])
    ]
    body = {"records": records, "reason": "Paper register checked", "version": sheet["version"]}
    assert client.put(url, headers=setup.headers, json=body).status_code == 200
