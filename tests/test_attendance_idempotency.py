"""Idempotent sheet saves over the API: a repeated Idempotency-Key writes nothing."""

import threading

import pytest
from sqlalchemy import func, select

from core.audit import AuditEntry
from extensions import db
from models import AttendanceOperation, AttendanceRecord, Course, User
from tests.factories import freeze
from tests.scenarios.api_base import error_of
from tests.scenarios.attendance_api import TODAY, bearer, make_setup, put, sheet_row, stored


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    return make_setup(app, accounts)


def record_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AttendanceRecord))


def audit_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


def test_a_repeated_key_answers_the_first_answer_and_writes_nothing(app, client, accounts, setup):
    a, b = setup.trainees
    headers = {**bearer(accounts, setup.instructor), "Idempotency-Key": "sheet-0113-first"}
    records = [{"trainee_id": a, "status": "absent"}, {"trainee_id": b, "status": "late"}]
    first = put(client, headers, setup.id, TODAY, records, version=0)
    assert first.status_code == 200, first.text
    assert first.headers["Idempotent-Replayed"] == "false"
    rows, entries = record_rows(app), audit_rows(app)

    # The same request again, even with a body that would now be stale (version 0).
    again = put(client, headers, setup.id, TODAY, records, version=0)
    assert again.status_code == 200, again.text
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (record_rows(app), audit_rows(app)) == (rows, entries)
    assert sheet_row(app, setup.id, TODAY).version == first.json["version"] == 1
    assert stored(app, setup.id, TODAY) == {a: ("absent", ""), b: ("late", "")}


def test_without_a_key_a_stale_repeat_is_a_conflict_as_before(app, client, accounts, setup):
    a, _b = setup.trainees
    headers = bearer(accounts, setup.instructor)
    records = [{"trainee_id": a, "status": "absent"}]
    assert put(client, headers, setup.id, TODAY, records, version=0).status_code == 200
    again = put(client, headers, setup.id, TODAY, records, version=0)
    error_of(again, 409, "conflict")


def test_a_key_longer_than_64_characters_is_refused_in_the_error_format(
    app, client, accounts, setup
):
    a, _b = setup.trainees
    headers = {**bearer(accounts, setup.instructor), "Idempotency-Key": "k" * 65}
    answer = put(client, headers, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}])
    error = error_of(answer, 422, "validation_error")
    assert "Idempotency-Key" in error["fields"]
    assert stored(app, setup.id, TODAY) == {}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttendanceOperation)) == 0


def test_a_key_used_for_another_day_is_refused(app, client, accounts, setup):
    a, _b = setup.trainees
    headers = {**bearer(accounts, setup.instructor), "Idempotency-Key": "reused"}
    records = [{"trainee_id": a, "status": "absent"}]
    assert put(client, headers, setup.id, TODAY, records).status_code == 200
    yesterday = TODAY.replace(day=12)
    answer = put(client, headers, setup.id, yesterday, records)
    assert error_of(answer, 422, "validation_error")["fields"]["key"] == [
        "This key was already used for another sheet: send a new one."
    ]
    assert stored(app, setup.id, yesterday) == {}


def test_a_refused_save_keeps_no_key_so_a_corrected_resend_saves(app, client, accounts, setup):
    a, _b = setup.trainees
    headers = {**bearer(accounts, setup.instructor), "Idempotency-Key": "fix-and-resend"}
    wrong = put(client, headers, setup.id, TODAY, [{"trainee_id": 999999, "status": "absent"}])
    assert wrong.status_code == 422
    right = put(client, headers, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}])
    assert right.status_code == 200, right.text
    assert stored(app, setup.id, TODAY) == {a: ("absent", "")}


def test_keys_belong_to_one_account(app, client, accounts, setup):
    a, b = setup.trainees
    colleague = accounts.make("instructor", full_name="Second Instructor")
    with app.app_context():
        course = db.session.get(Course, setup.id)
        course.instructors.append(db.session.get(User, colleague["id"]))
        db.session.commit()
    mine = {**bearer(accounts, setup.instructor), "Idempotency-Key": "same-key"}
    theirs = {**bearer(accounts, colleague), "Idempotency-Key": "same-key"}
    first = put(client, mine, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}])
    assert first.status_code == 200
    answer = put(client, theirs, setup.id, TODAY, [{"trainee_id": b, "status": "late"}])
    assert answer.status_code == 200 and answer.headers["Idempotent-Replayed"] == "false"
    assert stored(app, setup.id, TODAY) == {a: ("absent", ""), b: ("late", "")}


def test_the_same_key_sent_twice_at_once_is_stored_once(app, accounts, setup):
    a, b = setup.trainees
    headers = {**bearer(accounts, setup.instructor), "Idempotency-Key": "two-tabs"}
    records = [{"trainee_id": a, "status": "absent"}, {"trainee_id": b, "status": "late"}]
    answers = []
    start = threading.Barrier(2)

    def send():
        client = app.test_client()
        start.wait()
        answers.append(put(client, headers, setup.id, TODAY, records, version=0))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answer.status_code for answer in answers) == [200, 200], [
        answer.text for answer in answers
    ]
    assert answers[0].json == answers[1].json
    assert sorted(a.headers["Idempotent-Replayed"] for a in answers) == ["false", "true"]
    assert stored(app, setup.id, TODAY) == {a: ("absent", ""), b: ("late", "")}
    assert sheet_row(app, setup.id, TODAY).version == 1


def test_the_openapi_documents_the_header(client):
    operation = client.get("/api/v1/openapi.json").json["paths"][
        "/api/v1/courses/{course_id}/attendance/{day}"
    ]["put"]
    header = [p for p in operation["parameters"] if p["in"] == "header"]
    assert [p["name"] for p in header] == ["Idempotency-Key"]
    assert header[0]["schema"]["maxLength"] == 64
    assert "Idempotent-Replayed" in operation["responses"]["200"]["headers"]
