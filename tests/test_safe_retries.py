"""Retries that are safe: a 500 has saved nothing, and a database hiccup is a 503 to retry."""

import sqlite3

import pytest
from sqlalchemy import func, select

from app import create_app
from extensions import db
from models import AttendanceSheet
from tests import conftest
from tests.factories import freeze
from tests.scenarios.attendance_api import TODAY, bearer, make_setup, put, stored


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    return make_setup(app, accounts)


def sheets(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AttendanceSheet))


def test_a_save_that_fails_while_answering_has_saved_nothing(
    app, client, accounts, setup, monkeypatch
):
    headers = bearer(accounts, setup.instructor)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as production does: a 500

    def broken(*_args):
        raise RuntimeError("making the answer failed")

    # The failure comes after the records were written, while the answer is made.
    monkeypatch.setattr("courses.api.attendance.sheet_document", broken)
    records = [{"trainee_id": t, "status": "present"} for t in setup.trainees]
    answer = put(client, headers, setup.id, TODAY, records)
    assert answer.status_code == 500
    assert answer.json["error"]["code"] == "server_error"
    assert sheets(app) == 0 and stored(app, setup.id, TODAY) == {}

    # The client's retry then saves exactly once.
    monkeypatch.undo()
    freeze(monkeypatch, TODAY)
    retried = put(client, headers, setup.id, TODAY, records)
    assert retried.status_code == 200, retried.text
    assert retried.json["version"] == 1
    assert set(stored(app, setup.id, TODAY).values()) == {("present", "")}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_sqlite_write_lock_held_past_the_busy_timeout_answers_503(
    app, client, accounts, setup, database_url
):
    headers = bearer(accounts, setup.instructor)
    with app.app_context():
        db.engine.dispose()
        with db.engine.connect() as connection:  # the pooled connection the request reuses
            connection.exec_driver_sql("PRAGMA busy_timeout=100")
    other = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        records = [{"trainee_id": t, "status": "absent"} for t in setup.trainees]
        answer = put(client, headers, setup.id, TODAY, records)
    finally:
        other.rollback()
        other.close()
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    assert answer.json["error"]["code"] == "unavailable"
    assert "nothing was saved" in answer.json["error"]["message"]
    assert sheets(app) == 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_unreachable_postgresql_answers_503_to_the_api_and_the_pages(database_url):
    config = conftest.test_config("postgresql+psycopg://nobody@127.0.0.1:1/nowhere")
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"connect_timeout": 2}}
    down = create_app(config)
    client = down.test_client()
    answer = client.post("/api/v1/tokens", json={"email": "a@example.org", "password": "x" * 12})
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    assert answer.json == {
        "error": {
            "code": "unavailable",
            "message": "The database is briefly out of reach and nothing was saved. "
            "Try again shortly.",
        }
    }
    with down.app_context():
        db.engine.dispose()


def test_the_openapi_document_names_unavailable_on_every_operation(client):
    document = client.get("/api/v1/openapi.json").json
    codes = document["components"]["schemas"]["ErrorBody"]["properties"]["code"]["enum"]
    assert "unavailable" in codes
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert "503" in operation["responses"], (method, path)
    response = document["components"]["responses"]["UNAVAILABLE"]
    assert "Retry-After" in response["headers"]


def test_the_error_page_for_503_says_so(app):
    from core.errors import handle_database_unavailable

    with app.test_request_context("/courses"):
        body, status, headers = handle_database_unavailable(Exception("gone"))
    assert status == 503 and headers == {"Retry-After": "5"}
    assert "briefly unavailable" in body and "nothing was saved" in body


def test_a_sheet_with_more_records_than_enrolments_is_refused_before_any_work(
    app, client, accounts, setup, count_queries
):
    headers = bearer(accounts, setup.instructor)
    records = [{"trainee_id": 10_000 + n, "status": "present"} for n in range(5_000)]
    with count_queries() as counter:
        answer = put(client, headers, setup.id, TODAY, records)
    assert answer.status_code == 422
    error = answer.json["error"]
    message = "The sheet lists 5000 records, but the course has only 2 enrolments."
    assert error["fields"] == {"records": [message]}  # one message, not one per record
    assert len(answer.data) < 2_000
    assert counter.count < 15  # refused before the sheet or the trainees are read
    assert sheets(app) == 0


def test_a_sheet_longer_than_any_course_is_refused_unparsed(app, client, accounts, setup):
    headers = bearer(accounts, setup.instructor)
    records = [{"trainee_id": 1, "status": "present"}] * 10_001
    answer = put(client, headers, setup.id, TODAY, records)
    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == {"records": ["A sheet holds at most 10000 records."]}
