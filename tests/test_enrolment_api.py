"""Enrolment API: who may join a course and why not, withdrawal, who sees the roster."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from extensions import db
from models import Enrolment
from models.account import Role
from tests.factories import make_course, make_programme, make_trainee
from tests.scenarios.api_base import error_of


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """Day 5 of the course that starts on 2021-01-11 (and ends on 2021-02-24)."""
    moment = datetime(2021, 1, 15, 9, 0, tzinfo=UTC)
    monkeypatch.setattr("core.clock.now", lambda: moment)


@pytest.fixture
def admin(accounts):
    return accounts.bearer(Role.ADMIN)


@pytest.fixture
def programme_id(app):
    return make_programme(app)


def course(app, programme_id, code="AGH-1", start=date(2021, 1, 11), **values) -> int:
    holidays = (date(2021, 1, 20),) if start == date(2021, 1, 11) else ()
    return make_course(app, programme_id, code=code, start=start, holidays=holidays, **values)


def enrol(client, headers, course_id, trainee_id):
    url = f"/api/v1/courses/{course_id}/enrolments"
    return client.post(url, headers=headers, json={"trainee_id": trainee_id})


def withdraw(client, headers, enrolment_id, **body):
    url = f"/api/v1/enrolments/{enrolment_id}/withdraw"
    return client.post(url, headers=headers, json={"reason": "Injured on the range", **body})


def roster(app, course_id) -> list[tuple]:
    """(trainee_id, status, withdrawn_on, reason) of every enrolment, as stored."""
    with app.app_context():
        rows = db.session.execute(
            select(
                Enrolment.trainee_id,
                Enrolment.status,
                Enrolment.withdrawn_on,
                Enrolment.withdrawal_reason,
            )
            .where(Enrolment.course_id == course_id)
            .order_by(Enrolment.id)
        )
        return [tuple(row) for row in rows]


def test_trainee_enrolled(app, client, admin, programme_id):
    course_id = course(app, programme_id)
    trainee_id = make_trainee(app)
    response = enrol(client, admin, course_id, trainee_id)
    assert response.status_code == 201, response.text
    body = response.json
    assert isinstance(body["id"], int)
    assert (body["course_id"], body["trainee_id"], body["status"]) == (
        course_id,
        trainee_id,
        "enrolled",
    )
    assert roster(app, course_id) == [(trainee_id, "enrolled", None, None)]


# --- refusals ---------------------------------------------------------------------


def refused(app, client, admin, course_id, trainee_id, status=409) -> str:
    """The refusal's message; the roster is left as it was."""
    before = roster(app, course_id)
    code = "conflict" if status == 409 else "validation_error"
    message = error_of(enrol(client, admin, course_id, trainee_id), status, code)["message"]
    assert roster(app, course_id) == before
    return message


def test_full_course_refused(app, client, admin, programme_id):
    course_id = course(app, programme_id, capacity=2)
    for _ in range(2):
        assert enrol(client, admin, course_id, make_trainee(app)).status_code == 201
    message = refused(app, client, admin, course_id, make_trainee(app))
    assert message == "The course is full: all 2 seats are taken."


def test_organisation_quota_refused_but_other_organisations_join(app, client, admin, programme_id):
    make_trainee(app, "RU-EMERCOM")  # the organisation, before the quota names it
    course_id = course(app, programme_id, quotas={"RU-EMERCOM": 1})
    assert enrol(client, admin, course_id, make_trainee(app, "RU-EMERCOM")).status_code == 201
    message = refused(app, client, admin, course_id, make_trainee(app, "RU-EMERCOM"))
    assert message == "RU-EMERCOM has used its quota of 1 seat on this course."
    assert enrol(client, admin, course_id, make_trainee(app, "AZ-MES")).status_code == 201


def test_same_trainee_twice_refused(app, client, admin, programme_id):
    course_id = course(app, programme_id)
    trainee_id = make_trainee(app, full_name="Əli Məmmədov")
    assert enrol(client, admin, course_id, trainee_id).status_code == 201
    message = refused(app, client, admin, course_id, trainee_id)
    assert message == "Əli Məmmədov is already on this course."


def test_overlapping_course_refused_and_next_one_accepted(app, client, admin, programme_id):
    first = course(app, programme_id)  # 2021-01-11 to 2021-02-24
    touching = course(app, programme_id, code="AGH-2", start=date(2021, 2, 24))
    after = course(app, programme_id, code="AGH-3", start=date(2021, 2, 25))
    trainee_id = make_trainee(app, full_name="Əli Məmmədov")
    assert enrol(client, admin, first, trainee_id).status_code == 201
    message = refused(app, client, admin, touching, trainee_id)
    assert message == (
        "Əli Məmmədov is already in course AGH-1 (Jan 11, 2021 to Feb 24, 2021), "
        "whose dates overlap."
    )
    assert enrol(client, admin, after, trainee_id).status_code == 201


def test_withdrawn_enrolment_does_not_block_an_overlapping_course(app, client, admin, programme_id):
    first = course(app, programme_id)
    second = course(app, programme_id, code="AGH-2", start=date(2021, 2, 1))
    trainee_id = make_trainee(app)
    enrolment = enrol(client, admin, first, trainee_id).json
    assert withdraw(client, admin, enrolment["id"]).status_code == 200
    assert enrol(client, admin, second, trainee_id).status_code == 201


def test_cancelled_course_does_not_block_an_overlapping_one(app, client, admin, programme_id):
    first = course(app, programme_id)
    second = course(app, programme_id, code="AGH-2", start=date(2021, 2, 1))
    trainee_id = make_trainee(app)
    assert enrol(client, admin, first, trainee_id).status_code == 201
    cancel = {"version": 1, "status": "cancelled"}
    cancelled = client.patch(f"/api/v1/courses/{first}", headers=admin, json=cancel)
    assert cancelled.status_code == 200, cancelled.text
    assert enrol(client, admin, second, trainee_id).status_code == 201


def test_medical_clearance_must_last_to_the_course_end(app, client, admin, programme_id):
    course_id = course(app, programme_id)
    short = make_trainee(
        app, full_name="Алексей Смирнов", medical_clearance_until=date(2021, 2, 23)
    )
    message = refused(app, client, admin, course_id, short)
    assert message == (
        "Алексей Смирнов's medical clearance ends on Feb 23, 2021, "
        "before the course ends (Feb 24, 2021)."
    )
    enough = make_trainee(app, medical_clearance_until=date(2021, 2, 24))
    assert enrol(client, admin, course_id, enough).status_code == 201


def test_cancelled_or_completed_course_refused(app, client, accounts, programme_id, monkeypatch):
    cancelled = course(app, programme_id, statuses=("cancelled",))
    later = datetime(2021, 3, 1, 9, 0, tzinfo=UTC)
    monkeypatch.setattr("core.clock.now", lambda: later)
    admin = accounts.bearer(Role.ADMIN)
    completed = course(
        app, programme_id, code="AGH-2", statuses=("open", "in_progress", "completed")
    )
    trainee_id = make_trainee(app)
    message = refused(app, client, admin, cancelled, trainee_id)
    assert message == "The course is cancelled: nobody can join it."
    message = refused(app, client, admin, completed, trainee_id)
    assert message == "The course is completed: nobody can join it."


def test_unknown_trainee_is_422(app, client, admin, programme_id):
    course_id = course(app, programme_id)
    message = refused(app, client, admin, course_id, 4242, status=422)
    assert message == "There is no trainee number 4242."
    error_of(enrol(client, admin, 4242, make_trainee(app)), 404, "not_found")


# --- withdrawal -------------------------------------------------------------------


def test_withdrawal_keeps_the_record_and_frees_the_seat(app, client, admin, programme_id):
    course_id = course(app, programme_id, capacity=1)
    first, second = make_trainee(app), make_trainee(app)
    enrolment = enrol(client, admin, course_id, first).json
    response = withdraw(client, admin, enrolment["id"], date="2021-01-14")
    assert response.status_code == 200, response.text
    assert response.json["status"] == "withdrawn"
    assert response.json["withdrawn_on"] == "2021-01-14"
    assert response.json["withdrawal_reason"] == "Injured on the range"
    assert enrol(client, admin, course_id, second).status_code == 201
    assert roster(app, course_id) == [
        (first, "withdrawn", date(2021, 1, 14), "Injured on the range"),
        (second, "enrolled", None, None),
    ]


def test_withdrawal_dated_today_by_default_and_only_once(app, client, admin, programme_id):
    course_id = course(app, programme_id)
    enrolment = enrol(client, admin, course_id, make_trainee(app)).json
    assert withdraw(client, admin, enrolment["id"]).json["withdrawn_on"] == "2021-01-15"
    before = roster(app, course_id)
    again = error_of(withdraw(client, admin, enrolment["id"], reason="Again"), 409, "conflict")
    assert again["message"] == "Only an enrolled trainee can be withdrawn; this one is withdrawn."
    assert roster(app, course_id) == before


WITHDRAWAL_REFUSALS = {
    "empty": ({"reason": ""}, "reason", None),
    "blank": ({"reason": "   "}, "reason", "Give the reason for the withdrawal."),
    "tomorrow": ({"date": "2021-01-16"}, "date", "A withdrawal cannot be dated in the future."),
}


@pytest.mark.parametrize("case", WITHDRAWAL_REFUSALS)
def test_invalid_withdrawal_is_422(app, client, admin, programme_id, case):
    change, field, message = WITHDRAWAL_REFUSALS[case]
    course_id = course(app, programme_id)
    trainee_id = make_trainee(app)
    enrolment = enrol(client, admin, course_id, trainee_id).json
    error = error_of(withdraw(client, admin, enrolment["id"], **change), 422, "validation_error")
    assert field in error["fields"]
    if message:
        assert error["fields"][field] == [message]
    assert roster(app, course_id) == [(trainee_id, "enrolled", None, None)]


# --- who sees what ----------------------------------------------------------------


def test_roster_for_its_instructors_only(app, client, accounts, admin, programme_id):
    teacher, stranger = accounts.make(Role.INSTRUCTOR), accounts.make(Role.INSTRUCTOR)
    course_id = course(app, programme_id, instructor_ids=[teacher["id"]])
    trainee = accounts.make(Role.TRAINEE)
    enrolment = enrol(client, admin, course_id, trainee["trainee_id"]).json
    url = f"/api/v1/courses/{course_id}/enrolments"

    listing = client.get(url, headers={"Authorization": f"Bearer {accounts.token(teacher)}"})
    assert listing.status_code == 200, listing.text
    assert listing.json["total"] == 1
    assert listing.json["items"][0]["id"] == enrolment["id"]
    assert listing.json["items"][0]["status"] == "enrolled"
    assert client.get(url, headers=admin).json == listing.json
    for account in (stranger, trainee):
        headers = {"Authorization": f"Bearer {accounts.token(account)}"}
        error_of(client.get(url, headers=headers), 403, "forbidden")
    teacher_headers = {"Authorization": f"Bearer {accounts.token(teacher)}"}
    error_of(enrol(client, teacher_headers, course_id, make_trainee(app)), 403, "forbidden")
    error_of(withdraw(client, teacher_headers, enrolment["id"]), 403, "forbidden")
    assert roster(app, course_id) == [(trainee["trainee_id"], "enrolled", None, None)]


def test_enrolled_trainee_sees_the_plan_and_calendar(app, client, accounts, admin, programme_id):
    course_id = course(app, programme_id)
    member, outsider = accounts.make(Role.TRAINEE), accounts.make(Role.TRAINEE)
    assert enrol(client, admin, course_id, member["trainee_id"]).status_code == 201
    urls = (f"/api/v1/courses/{course_id}/plan", f"/courses/{course_id}/calendar.ics")

    headers = {"Authorization": f"Bearer {accounts.token(member)}"}
    plan = client.get(urls[0], headers=headers)
    assert plan.status_code == 200 and plan.json[0] == {"date": "2021-01-11", "modules": ["M1"]}
    calendar = client.get(urls[1], headers=headers)
    assert calendar.status_code == 200 and calendar.mimetype == "text/calendar"
    assert b"BEGIN:VCALENDAR" in calendar.data and b"M1" in calendar.data

    headers = {"Authorization": f"Bearer {accounts.token(outsider)}"}
    error_of(client.get(urls[0], headers=headers), 403, "forbidden")
    assert client.get(urls[1], headers=headers).status_code == 403
