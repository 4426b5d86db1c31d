"""Results API: attempts, every refusal in words, the latest attempt, corrections, who sees what."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.audit import AuditEntry
from extensions import db
from models import Course
from models.account import Role, User
from tests.factories import freeze
from tests.scenarios.api_base import error_of
from tests.scenarios.results_api import INSTRUCTOR, attempt, bearer, make_setup, stored

TODAY = date(2021, 1, 15)  # Friday, day 5 of AGH-1 (2021-01-11 to 2021-02-24)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    freeze(monkeypatch, TODAY)


@pytest.fixture
def setup(app, accounts):
    return make_setup(app, accounts)


def test_scored_attempt_recorded(app, client, setup):
    response = attempt(client, setup.headers, setup.enrolled[0], "T1", score=82, note=" good  ")
    assert response.status_code == 201, response.text
    body = response.json
    fields = ("attempt", "score", "passed", "assessed_on")
    assert tuple(body[name] for name in fields) == (1, 82, True, "2021-01-14")
    assert (body["module_code"], body["assessor"], body["note"]) == ("T1", INSTRUCTOR, "good")
    assert stored(app, setup.enrolled[0]) == [("T1", 1, 82, True, date(2021, 1, 14))]


@pytest.mark.parametrize(
    ("code", "body", "score", "passed"),
    [  # scored: passed iff score >= pass mark (70); pass/fail: as the assessor says
        *[("T1", {"score": n}, n, n >= 70) for n in (70, 69, 100, 0)],
        *[("F1", {"passed": flag}, None, flag) for flag in (True, False)],
    ],
)
def test_passed_follows_the_kind_of_module(app, client, setup, code, body, score, passed):
    response = attempt(client, setup.headers, setup.enrolled[0], code, **body)
    assert response.status_code == 201, response.text
    assert (response.json["score"], response.json["passed"]) == (score, passed)
    assert stored(app, setup.enrolled[0]) == [(code, 1, score, passed, date(2021, 1, 14))]


# --- refusals ---------------------------------------------------------------------


def refused(app, client, headers, enrolment_id, code, status, body) -> dict:
    """The error of a refused attempt; the database holds what it held before."""
    before = stored(app, enrolment_id)
    error_code = {403: "forbidden", 409: "conflict", 422: "validation_error"}[status]
    error = error_of(attempt(client, headers, enrolment_id, code, **body), status, error_code)
    assert stored(app, enrolment_id) == before
    return error


def test_prerequisite_not_passed_refused_until_it_is(app, client, setup):
    enrolment = setup.enrolled[0]
    message = "Əliyev Rauf has not passed T1, which P1 requires."
    error = refused(app, client, setup.headers, enrolment, "P1", 409, {"passed": True})
    assert error["message"] == message
    assert attempt(client, setup.headers, enrolment, "T1", score=50).status_code == 201
    error = refused(app, client, setup.headers, enrolment, "P1", 409, {"passed": True})
    assert error["message"] == message  # a failed prerequisite is not passed either
    assert attempt(client, setup.headers, enrolment, "T1", score=90).status_code == 201
    assert attempt(client, setup.headers, enrolment, "P1", passed=True).status_code == 201


@pytest.mark.parametrize("max_attempts", [1, 3])
def test_attempts_used_up_refused(app, client, accounts, max_attempts):
    setup = make_setup(app, accounts, programme={"max_attempts": max_attempts})
    enrolment = setup.enrolled[0]
    for number in range(1, max_attempts + 1):
        response = attempt(client, setup.headers, enrolment, "T1", score=40 + number)
        assert response.json["attempt"] == number
    error = refused(app, client, setup.headers, enrolment, "T1", 409, {"score": 95})
    assert error["message"] == f"Əliyev Rauf has used all {max_attempts} attempts at T1."
    assert len(stored(app, enrolment)) == max_attempts
    # The other trainee's attempts are their own.
    assert attempt(client, setup.headers, setup.enrolled[1], "T1", score=95).status_code == 201


@pytest.mark.parametrize("score", [101, -1, 1000])
def test_score_outside_0_to_100_refused(app, client, setup, score):
    error = refused(app, client, setup.headers, setup.enrolled[0], "T1", 422, {"score": score})
    assert list(error["fields"]) == ["score"]


def test_score_outside_0_to_100_has_the_forms_message(app, client, setup):
    error = refused(app, client, setup.headers, setup.enrolled[0], "T1", 422, {"score": 101})
    assert error["fields"]["score"] == ["The score must be between 0 and 100."]


PASS_MARK = "A score of 80 reaches the pass mark of 70."


@pytest.mark.parametrize(
    ("code", "body", "field", "message"),
    [
        ("F1", {"score": 80}, "score", "F1 is assessed as pass or fail, without a score."),
        ("F1", {}, "passed", "Say whether F1 is passed."),
        ("T1", {"passed": True}, "score", "T1 is scored: give a score from 0 to 100."),
        ("T1", {"score": 80, "passed": False}, "passed", PASS_MARK),
    ],
)
def test_score_or_pass_that_does_not_fit_the_module_refused(
    app, client, setup, code, body, field, message
):
    error = refused(app, client, setup.headers, setup.enrolled[0], code, 422, body)
    assert error["message"] == message
    assert error["fields"][field] == [message]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2021-01-08", "Jan 8, 2021 is outside the course (Jan 11, 2021 to Feb 24, 2021)."),
        ("2021-02-25", "Feb 25, 2021 is outside the course (Jan 11, 2021 to Feb 24, 2021)."),
        ("2021-01-16", "Jan 16, 2021 is in the future."),  # today is 2021-01-15
    ],
)
def test_date_outside_the_course_or_in_the_future_refused(app, client, setup, day, message):
    body = {"score": 80, "assessed_on": day}
    error = refused(app, client, setup.headers, setup.enrolled[0], "T1", 422, body)
    assert (error["message"], error["fields"]) == (message, {"assessed_on": [message]})


def test_instructor_who_does_not_teach_the_course_refused(app, client, accounts, setup):
    other = accounts.bearer(Role.INSTRUCTOR)
    refused(app, client, other, setup.enrolled[0], "T1", 403, {"score": 80})
    response = client.get(f"/api/v1/enrolments/{setup.enrolled[0]}/results/T1", headers=other)
    error_of(response, 403, "forbidden")


def test_withdrawn_trainee_refused(app, client, accounts, setup):
    admin = accounts.bearer(Role.ADMIN)
    url = f"/api/v1/enrolments/{setup.enrolled[0]}/withdraw"
    assert client.post(url, headers=admin, json={"reason": "Injured"}).status_code == 200
    error = refused(app, client, admin, setup.enrolled[0], "T1", 409, {"score": 80})
    assert error["message"] == "Əliyev Rauf was withdrawn from the course."


def test_unknown_module_is_404(client, setup):
    response = attempt(client, setup.headers, setup.enrolled[0], "X9", score=80)
    assert error_of(response, 404, "not_found")["message"] == "The course has no module X9."


# --- the latest attempt counts --------------------------------------------------


def test_latest_attempt_counts_and_attempts_listed_oldest_first(app, client, setup):
    enrolment = setup.enrolled[0]
    attempt(client, setup.headers, enrolment, "T1", score=55, assessed_on="2021-01-12")
    attempt(client, setup.headers, enrolment, "T1", score=81, assessed_on="2021-01-14")
    response = client.get(f"/api/v1/enrolments/{enrolment}/results/T1", headers=setup.headers)
    assert response.status_code == 200
    assert response.json["total"] == 2
    assert [
        (item["attempt"], item["score"], item["passed"], item["assessed_on"])
        for item in response.json["items"]
    ] == [(1, 55, False, "2021-01-12"), (2, 81, True, "2021-01-14")]
    progress = client.get(f"/api/v1/enrolments/{enrolment}/progress", headers=setup.headers)
    assert (progress.json["modules_passed"], progress.json["hours_passed"]) == (1, 16)
    # T1 now counts as passed, so its dependant may be assessed.
    assert attempt(client, setup.headers, enrolment, "P1", passed=True).status_code == 201


# --- corrections ------------------------------------------------------------------


def correct(client, headers, result_id, **body):
    return client.patch(f"/api/v1/results/{result_id}", headers=headers, json=body)


UNCHANGED = [("T1", 1, 65, False, date(2021, 1, 14))]  # the recorded attempt, as stored


@pytest.fixture
def recorded(client, setup):
    """A 65 (a fail) in T1, recorded just now by the course's instructor."""
    response = attempt(client, setup.headers, setup.enrolled[0], "T1", score=65)
    assert response.status_code == 201
    return response.json


@pytest.mark.parametrize("who", ["assessor", "admin"])
def test_correction_within_24_hours(app, client, accounts, setup, recorded, who):
    headers = setup.headers if who == "assessor" else accounts.bearer(Role.ADMIN)
    response = correct(client, headers, recorded["id"], version=recorded["version"], score=75)
    assert response.status_code == 200, response.text
    body = response.json
    assert (body["attempt"], body["score"], body["passed"]) == (1, 75, True)
    assert body["version"] == recorded["version"] + 1
    assert body["corrected_at"] is not None
    assert stored(app, setup.enrolled[0]) == [("T1", 1, 75, True, date(2021, 1, 14))]


def test_a_correction_to_the_same_values_corrects_nothing(app, client, setup, recorded):
    """Saved as it was: no new version, no correction time, no entry in the trail."""

    def entries() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(AuditEntry))

    before = entries()
    response = correct(client, setup.headers, recorded["id"], version=recorded["version"], score=65)
    assert response.status_code == 200, response.text
    assert response.json["version"] == recorded["version"]
    assert response.json["corrected_at"] is None
    assert entries() == before
    assert stored(app, setup.enrolled[0]) == UNCHANGED


def test_correction_with_an_old_version_changes_nothing(app, client, setup, recorded):
    assert correct(client, setup.headers, recorded["id"], version=1, score=75).status_code == 200
    response = correct(client, setup.headers, recorded["id"], version=1, score=95)
    assert error_of(response, 409, "conflict")["message"] == (
        "Someone else changed this result; reload it and try again."
    )
    assert stored(app, setup.enrolled[0]) == [("T1", 1, 75, True, date(2021, 1, 14))]


@pytest.mark.parametrize(("hours", "allowed"), [(23.9, True), (24.1, False)])
def test_correction_window_is_24_hours(
    app, client, accounts, setup, recorded, clock_at, hours, allowed
):
    clock_at(datetime.fromisoformat(recorded["recorded_at"]) + timedelta(hours=hours))
    headers = bearer(accounts, setup.instructor)  # the token taken before has expired by then
    response = correct(client, headers, recorded["id"], version=1, score=75)
    if allowed:
        assert response.status_code == 200, response.text
        assert stored(app, setup.enrolled[0])[0][2] == 75
    else:
        assert error_of(response, 409, "conflict")["message"] == (
            "A result can be corrected within 24 hours of recording it; record a new attempt "
            "instead."
        )
        assert stored(app, setup.enrolled[0]) == UNCHANGED


def test_correction_by_another_instructor_refused(app, client, accounts, setup, recorded):
    colleague = accounts.make(Role.INSTRUCTOR, full_name="Ivan Orlov")
    with app.app_context():
        course = db.session.get(Course, setup.id)
        course.instructors.append(db.session.get(User, colleague["id"]))
        db.session.commit()
    response = correct(client, bearer(accounts, colleague), recorded["id"], version=1, score=75)
    assert error_of(response, 403, "forbidden")["message"] == (
        "Only the assessor or an administrator corrects a result."
    )
    outsider = accounts.bearer(Role.INSTRUCTOR)
    error_of(correct(client, outsider, recorded["id"], version=1, score=75), 403, "forbidden")
    assert stored(app, setup.enrolled[0]) == UNCHANGED


def test_invalid_correction_refused(app, client, setup, recorded):
    response = correct(client, setup.headers, recorded["id"], version=1, passed=True)
    error = error_of(response, 422, "validation_error")
    assert error["fields"] == {"passed": ["A score of 65 misses the pass mark of 70."]}
    response = correct(client, setup.headers, recorded["id"], version=1, assessed_on="2021-01-30")
    error = error_of(response, 422, "validation_error")
    assert error["fields"] == {"assessed_on": ["Jan 30, 2021 is in the future."]}
    assert stored(app, setup.enrolled[0]) == UNCHANGED


# --- the trainee ------------------------------------------------------------------


def test_trainee_reads_own_results_only_and_records_none(app, client, accounts, setup, recorded):
    own, other = setup.enrolled
    trainee = bearer(accounts, accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0]))
    response = client.get(f"/api/v1/enrolments/{own}/results/T1", headers=trainee)
    assert response.status_code == 200
    assert [(item["attempt"], item["score"]) for item in response.json["items"]] == [(1, 65)]
    response = client.get(f"/api/v1/enrolments/{other}/results/T1", headers=trainee)
    error_of(response, 403, "forbidden")
    error_of(attempt(client, trainee, own, "T1", score=99), 403, "forbidden")
    error_of(correct(client, trainee, recorded["id"], version=1, score=99), 403, "forbidden")
    assert stored(app, own) == UNCHANGED
