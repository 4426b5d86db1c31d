"""Two instructors save the same sheet at the same time, hundreds of times: nothing is lost.

Each writer is a thread with its own test client. A save that names the version it
read either lands as the next version or is refused (409) because the other writer
saved first: never two saves on one version, never a save silently overwritten.
A save that names no version waits for the other and lands after it.
On SQLite and on PostgreSQL.
"""

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.audit import AuditEntry
from extensions import db
from tests.factories import freeze
from tests.scenarios.attendance_api import TODAY, bearer, make_setup, put, sheet_row, stored, url

SAVES = 500  # per writer
STATUSES = ["present", "late", "absent", "excused"]


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    return make_setup(app, accounts)


@pytest.fixture
def headers(accounts, setup) -> dict:
    return bearer(accounts, setup.instructor)


def run_writers(app, writers) -> list[list]:
    """Start every writer(client, answers) together; their answers, per writer."""
    barrier = threading.Barrier(len(writers))
    answers: list[list] = [[] for _ in writers]

    def run(index):
        client = app.test_client()
        barrier.wait(timeout=30)
        try:
            writers[index](client, answers[index])
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            answers[index].append(("exception", repr(error)))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return answers


def test_two_writers_saving_one_sheet_lose_no_update(app, setup, headers):

    def writer(number):
        def write(client, answers):
            for attempt in range(SAVES):
                version = client.get(url(setup.id, TODAY), headers=headers).get_json()["version"]
                note = f"writer {number}, save {attempt}"
                records = [
                    {"trainee_id": trainee, "status": STATUSES[attempt % 4], "note": note}
                    for trainee in setup.trainees
                ]
                answer = put(client, headers, setup.id, TODAY, records, version=version)
                answers.append((answer.status_code, answer.get_json(), note))

        return write

    answers = run_writers(app, [writer(1), writer(2)])
    every = [answer for writer_answers in answers for answer in writer_answers]
    assert {status for status, _body, _note in every} <= {200, 409}, every[:5]
    saved = [(body, note) for status, body, note in every if status == 200]
    refused = [body for status, body, _note in every if status == 409]
    assert len(saved) + len(refused) == 2 * SAVES
    assert all(body["error"]["code"] == "conflict" for body in refused)
    # Each save that landed made its own version: 1, 2, ... with none shared or skipped.
    versions = sorted(body["version"] for body, _note in saved)
    assert versions == list(range(1, len(saved) + 1))
    # The sheet holds the last save that landed.
    last_body, last_note = max(saved, key=lambda item: item[0]["version"])
    assert sheet_row(app, setup.id, TODAY).version == len(saved)
    assert set(stored(app, setup.id, TODAY).values()) == {
        (last_body["records"][0]["status"], last_note)
    }
    # Every save that landed changed each trainee's note: two entries each in the trail.
    with app.app_context():
        record_entries = db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == "attendance_records", AuditEntry.course_id == setup.id)
        )
    assert record_entries == len(setup.trainees) * len(saved)


def test_saves_without_a_version_wait_for_each_other_and_all_land(app, setup, headers):
    rounds = 40

    def writer(number):
        def write(client, answers):
            for attempt in range(rounds):
                records = [
                    {"trainee_id": trainee, "status": "present", "note": f"{number}-{attempt}"}
                    for trainee in setup.trainees
                ]
                answer = put(client, headers, setup.id, TODAY, records)
                answers.append((answer.status_code, answer.get_json()))

        return write

    answers = run_writers(app, [writer(1), writer(2)])
    statuses = [status for writer_answers in answers for status, _body in writer_answers]
    assert statuses == [200] * (2 * rounds), [a for w in answers for a in w if a[0] != 200][:3]
    assert sheet_row(app, setup.id, TODAY).version == 2 * rounds


def test_a_save_that_changes_no_mark_is_still_in_the_trail(app, setup, headers, monkeypatch):
    records = [{"trainee_id": trainee, "status": "present"} for trainee in setup.trainees]
    client = app.test_client()
    first = put(client, headers, setup.id, TODAY, records)
    freeze(monkeypatch, datetime(2021, 1, 13, 9, 30, tzinfo=UTC))  # later that morning
    again = put(client, headers, setup.id, TODAY, records, version=first.get_json()["version"])
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.get_json()["version"] == first.get_json()["version"] + 1
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "attendance_sheets", AuditEntry.action == "update")
            .order_by(AuditEntry.id.desc())
        ).first()
    assert entry is not None, "the second save left no trace"
    assert entry.after["recorded_at"].startswith("2021-01-13T09:30")
    assert entry.before["recorded_at"] != entry.after["recorded_at"]
