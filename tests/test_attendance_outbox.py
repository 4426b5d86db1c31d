"""The phone's outbox endpoint: idempotent by operation id, the device time, the app shell."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from auth import policy
from core.audit import AuditEntry
from extensions import db
from models import AttendanceOperation, AttendanceRecord, Course
from models.account import Role, User
from tests.factories import freeze, make_course, make_programme
from tests.scenarios.attendance_api import TODAY, make_setup, sheet_row, stored
from tests.scenarios.attendance_pages import save

MORNING = datetime(2021, 1, 13, 6, 0, tzinfo=UTC)  # 10:00 in Baku on the sheet's day


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts)
    accounts.login(setup.instructor)
    return setup


def token(client) -> str:
    answer = client.get("/offline/account")
    assert answer.status_code == 200
    return answer.json["csrf_token"]


def send(client, course_id, day, records, device_time=MORNING, key="op-1", version=0, **extra):
    body = {
        "operation_id": key,
        "version": version,
        "device_time": device_time and device_time.isoformat(),
        "records": [{"note": "", **record} for record in records],
        **extra,
    }
    return client.post(
        f"/courses/{course_id}/attendance/{day.isoformat()}/outbox",
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": token(client)},
    )


def opened(client, course_id, day) -> str:
    """The sheet page's seal of when it was opened, as the phone keeps it with its save."""
    page = client.get(f"/courses/{course_id}/attendance/{day.isoformat()}")
    assert page.status_code == 200
    return re.search(r'data-opened="([^"]*)"', page.text).group(1)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_an_entry_sent_twice_is_saved_once_and_answers_the_same(app, client, setup):
    a, b = setup.trainees
    records = [{"trainee_id": a, "status": "absent"}, {"trainee_id": b, "status": "late"}]
    seal = opened(client, setup.id, TODAY)  # at 08:00 UTC; the phone saves at 06:00 UTC
    first = send(client, setup.id, TODAY, records, opened=seal)
    assert first.status_code == 200, first.text
    assert first.json == {
        "version": 1,
        "date": "2021-01-13",
        "operation_id": "op-1",
        "repeated": False,
        "next": f"/courses/{setup.id}/attendance#day-2021-01-13",
    }
    entries = count(app, AuditEntry)
    again = send(client, setup.id, TODAY, records, opened=seal)
    assert again.status_code == 200
    assert again.json == {**first.json, "repeated": True}
    assert count(app, AuditEntry) == entries
    assert count(app, AttendanceRecord) == 2 and count(app, AttendanceOperation) == 1
    assert stored(app, setup.id, TODAY) == {a: ("absent", ""), b: ("late", "")}
    with app.app_context():
        trail = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "offline_save"))
        assert trail.course_id == setup.id
        assert trail.after == {
            "day": "2021-01-13",
            "operation_id": "op-1",
            "device_time": "2021-01-13T06:00:00+00:00",
            "opened_at": "2021-01-13T08:00:00+00:00",
            "window_from": "2021-01-13",
            "version": 1,
        }


def test_a_conflict_saves_nothing_and_answers_the_servers_sheet(app, client, setup):
    a, b = setup.trainees
    save(app, setup.id, setup.instructor, TODAY, {a: "present", b: "excused"})
    answer = send(client, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}])
    assert answer.status_code == 409
    error = answer.json["error"]
    assert error["code"] == "conflict"
    # The instructor's own save from another tab or device: said as theirs, not by name.
    assert error["message"].startswith("You saved this sheet again after this copy")
    assert error["server"]["saved_by_you"] is True
    assert error["server"]["version"] == 1
    assert {r["trainee_id"]: r["status"] for r in error["server"]["records"]} == {
        a: "present",
        b: "excused",
    }
    assert stored(app, setup.id, TODAY) == {a: ("present", ""), b: ("excused", "")}
    assert count(app, AttendanceOperation) == 0
    # The instructor's choice: a new save on the current version.
    chosen = send(
        client, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}], key="op-2", version=1
    )
    assert chosen.status_code == 200, chosen.text
    assert stored(app, setup.id, TODAY) == {a: ("absent", ""), b: ("excused", "")}


def test_a_colleagues_save_is_named_in_the_conflict(app, client, setup, accounts):
    a, _b = setup.trainees
    colleague = accounts.make(Role.ADMIN, full_name="Aynur Məmmədova")
    save(app, setup.id, colleague, TODAY, {a: "present"})
    error = send(client, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}]).json["error"]
    assert error["message"].startswith("Aynur Məmmədova saved this sheet after you opened it.")
    assert error["server"]["saved_by_you"] is False
    assert error["server"]["recorded_by"] == "Aynur Məmmədova"


def test_a_phone_clock_ahead_of_the_server_is_refused_with_a_reason(app, client, setup):
    a, _b = setup.trainees
    ahead = datetime(2021, 1, 13, 9, 0, tzinfo=UTC)  # the server's clock says 08:00 UTC
    answer = send(client, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}], ahead)
    assert answer.status_code == 422
    assert answer.json["error"]["fields"]["device_time"] == [
        "The phone's clock says this sheet was saved at Jan 13, 2021, 1:00\u202fPM, which is later "
        "than now. Set the phone's date and time, then save the sheet again."
    ]
    assert stored(app, setup.id, TODAY) == {} and count(app, AttendanceOperation) == 0


def test_a_phone_time_in_a_far_year_is_refused_not_a_crash(app, client, setup):
    a, _b = setup.trainees
    for far in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        answer = client.post(
            f"/courses/{setup.id}/attendance/{TODAY.isoformat()}/outbox",
            json={
                "operation_id": f"far-{far[:4]}",
                "version": 0,
                "device_time": far,
                "records": [{"trainee_id": a, "status": "absent", "note": ""}],
            },
            headers={"X-CSRFToken": token(client)},
        )
        assert answer.status_code == 422, answer.text
        assert answer.json["error"]["fields"]["device_time"] == [
            "Must be between the years 2000 and 2200."
        ]
    assert stored(app, setup.id, TODAY) == {} and count(app, AttendanceOperation) == 0


def test_a_save_dated_before_the_sheets_day_is_refused(app, client, setup):
    a, _b = setup.trainees
    before = datetime(2021, 1, 12, 19, 0, tzinfo=UTC)  # 23:00 in Baku the day before
    answer = send(client, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}], before)
    assert answer.status_code == 422
    assert answer.json["error"]["fields"]["device_time"] == [
        "The phone saved this sheet on Jan 12, 2021, before its day (Jan 13, 2021). "
        "Check the phone's date, then save the sheet again."
    ]
    assert stored(app, setup.id, TODAY) == {}


def test_the_correction_window_counts_from_the_phones_time(
    app, client, accounts, setup, monkeypatch
):
    a, _b = setup.trainees
    records = [{"trainee_id": a, "status": "absent"}]
    freeze(monkeypatch, datetime(2021, 1, 19, 5, 0, tzinfo=UTC))  # 6 days after the day
    accounts.login(setup.instructor)
    seal = opened(client, setup.id, TODAY)  # the phone opens the sheet, then loses network
    saved_at = datetime(2021, 1, 19, 6, 0, tzinfo=UTC)
    freeze(monkeypatch, date(2021, 1, 24))  # sent 5 days later: 11 days after the day
    accounts.login(setup.instructor)  # the session of the 19th has long expired
    answer = send(client, setup.id, TODAY, records, saved_at, opened=seal)
    assert answer.status_code == 200, answer.text
    assert stored(app, setup.id, TODAY) == {a: ("absent", "")}
    assert sheet_row(app, setup.id, TODAY).correction_reason is None
    # The seal was for the version the page showed: it vouches for that one save only.
    again = [{"trainee_id": a, "status": "present"}]
    later = saved_at + timedelta(minutes=5)
    answer = send(client, setup.id, TODAY, again, later, key="op-2", version=1, opened=seal)
    assert answer.status_code == 403
    assert stored(app, setup.id, TODAY) == {a: ("absent", "")}


def test_a_phone_time_with_no_seal_of_the_page_counts_the_window_from_now(
    app, client, accounts, setup, monkeypatch
):
    """An instructor who writes the phone's request by hand, claiming a save made within
    the window, is refused as for any other sheet past it."""
    a, _b = setup.trainees
    freeze(monkeypatch, date(2021, 1, 23))  # 10 days after the day: past the window
    accounts.login(setup.instructor)
    page = client.get(f"/courses/{setup.id}/attendance/{TODAY.isoformat()}").text
    assert 'data-opened=""' in page  # a sheet the instructor may no longer save is not sealed
    claimed = datetime(2021, 1, 19, 6, 0, tzinfo=UTC)
    for seal in (None, "", "forged.seal", opened(client, setup.id, TODAY)):
        answer = send(
            client,
            setup.id,
            TODAY,
            [{"trainee_id": a, "status": "absent"}],
            claimed,
            key=f"op-{seal}",
            **({} if seal is None else {"opened": seal}),
        )
        assert answer.status_code == 403, answer.text
        assert answer.json["error"]["message"] == (
            "Sheets older than 7 days are corrected by an administrator only."
        )
    assert stored(app, setup.id, TODAY) == {} and count(app, AttendanceOperation) == 0


def test_a_seal_of_another_days_sheet_vouches_for_nothing(
    app, client, accounts, setup, monkeypatch
):
    a, _b = setup.trainees
    freeze(monkeypatch, date(2021, 1, 14))
    accounts.login(setup.instructor)
    other_day = opened(client, setup.id, date(2021, 1, 14))  # the next day's sheet
    freeze(monkeypatch, date(2021, 1, 22))  # 9 days after the sheet's day
    accounts.login(setup.instructor)
    claimed = datetime(2021, 1, 14, 6, 0, tzinfo=UTC)
    answer = send(
        client, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}], claimed, opened=other_day
    )
    assert answer.status_code == 403
    assert stored(app, setup.id, TODAY) == {}


def test_the_window_counts_from_the_opening_when_the_phones_clock_is_behind_it(
    app, client, accounts, setup, monkeypatch
):
    """A save cannot predate the page it was made on: a phone whose clock is two days
    behind counts from when the server gave it the sheet."""
    a, _b = setup.trainees
    freeze(monkeypatch, date(2021, 1, 16))  # 3 days after the sheet's day
    accounts.login(setup.instructor)
    seal = opened(client, setup.id, TODAY)
    freeze(monkeypatch, date(2021, 1, 23))  # sent 7 days later: 10 days after the day
    accounts.login(setup.instructor)
    behind = datetime(2021, 1, 14, 6, 0, tzinfo=UTC)
    answer = send(
        client, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}], behind, opened=seal
    )
    assert answer.status_code == 200, answer.text
    assert stored(app, setup.id, TODAY) == {a: ("absent", "")}
    with app.app_context():
        trail = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "offline_save"))
        assert trail.after["device_time"] == "2021-01-14T06:00:00+00:00"
        assert trail.after["opened_at"] == "2021-01-16T08:00:00+00:00"
        assert trail.after["window_from"] == "2021-01-16"


def test_past_the_upload_bound_the_ordinary_window_applies(
    app, client, accounts, setup, monkeypatch
):
    a, _b = setup.trainees
    freeze(monkeypatch, TODAY + timedelta(days=8))  # saved on the day, sent 8 days later
    accounts.login(setup.instructor)
    answer = send(client, setup.id, TODAY, [{"trainee_id": a, "status": "absent"}])
    assert answer.status_code == 403
    assert answer.json["error"]["message"] == (
        "Sheets older than 7 days are corrected by an administrator only."
    )
    assert stored(app, setup.id, TODAY) == {}


def test_the_outbox_needs_the_csrf_token(app, client, setup):
    a, _b = setup.trainees
    answer = client.post(
        f"/courses/{setup.id}/attendance/2021-01-13/outbox",
        json={
            "operation_id": "x",
            "version": 0,
            "device_time": MORNING.isoformat(),
            "records": [{"trainee_id": a, "status": "absent"}],
        },
    )
    assert answer.status_code == 400
    assert stored(app, setup.id, TODAY) == {}


def test_bad_entries_answer_field_messages(app, client, setup):
    answer = send(client, setup.id, TODAY, [{"trainee_id": 1, "status": "asleep"}], key="k" * 65)
    assert answer.status_code == 422
    fields = answer.json["error"]["fields"]
    assert "operation_id" in fields and "records.0.status" in fields
    assert count(app, AttendanceOperation) == 0


def test_the_manifest_and_the_worker_are_served_from_the_root(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["start_url"] == "/instructor" and manifest.json["scope"] == "/"
    assert manifest.json["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest.json["icons"]} == {"192x192", "512x512"}
    for icon in manifest.json["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
        width, height = (int.from_bytes(image.data[16 + i : 20 + i], "big") for i in (0, 4))
        assert f"{width}x{height}" == icon["sizes"]
        image.close()
    worker = client.get("/service-worker.js")
    assert worker.status_code == 200
    assert worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert "/static/js/outbox.js" in worker.text
    policy = worker.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_the_outbox_words_come_translated_with_every_plural_form(client, setup):
    client.post("/language/ru", data={"csrf_token": token(client), "next": "/instructor"})
    page = client.get("/instructor").text
    block = re.search(r'<script type="application/json" id="outbox-strings">(.*?)</script>', page)
    strings = json.loads(block.group(1))
    assert strings["waiting"] == {
        "one": "Сохранено на этом телефоне, ещё не отправлено (ожидает: %(num)d).",
        "few": "Сохранено на этом телефоне, ещё не отправлено (ожидают: %(num)d).",
        "many": "Сохранено на этом телефоне, ещё не отправлено (ожидают: %(num)d).",
    }
    assert strings["sign_out"]["few"].startswith("%(num)d ведомости")
    assert strings["statuses"]["late"] == "Опоздал"
    assert (
        client.get("/manifest.webmanifest").json["name"] == "Курсы по разминированию: посещаемость"
    )


def test_a_sheet_sent_as_it_is_saved_announces_itself_on_the_next_page(app, client, setup):
    a, _b = setup.trainees
    records = [{"trainee_id": a, "status": "late"}]
    answer = send(client, setup.id, TODAY, records, device_time=None, announce=True)
    assert answer.status_code == 200, answer.text
    assert answer.json["next"] == f"/courses/{setup.id}/attendance#day-2021-01-13"
    assert "Attendance for Jan 13, 2021 is saved." in client.get(answer.json["next"]).text
    assert stored(app, setup.id, TODAY)[a] == ("late", "")
    with app.app_context():  # saved online: no offline origin to record
        assert (
            db.session.scalar(select(AuditEntry).where(AuditEntry.action == "offline_save")) is None
        )


def test_an_entry_for_a_course_not_taught_is_refused_in_json(app, client, setup):
    a, _b = setup.trainees
    other = make_course(
        app, make_programme(app, code="EOD-2"), code="AGH-2", statuses=("open", "in_progress")
    )
    answer = send(client, other, TODAY, [{"trainee_id": a, "status": "late"}])
    assert answer.status_code == 403
    assert answer.json["error"] == {
        "code": "forbidden",
        "message": "You are not allowed to do this.",
    }
    assert stored(app, other, TODAY) == {}
    missing = send(client, 999, TODAY, [{"trainee_id": 1, "status": "late"}])
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


def test_the_policy_says_who_keeps_an_outbox_and_sends_a_courses_sheets(app, accounts, setup):
    other = accounts.make(Role.INSTRUCTOR)
    admin = accounts.make(Role.ADMIN)
    trainee = accounts.make(Role.TRAINEE)
    with app.app_context():
        course = db.session.get(Course, setup.id)
        user = {
            name: db.session.get(User, account["id"])
            for name, account in [
                ("teacher", setup.instructor),
                ("other", other),
                ("admin", admin),
                ("trainee", trainee),
            ]
        }
        assert policy.may_keep_outbox(user["teacher"]) and policy.may_keep_outbox(user["admin"])
        refused = policy.may_keep_outbox(user["trainee"])
        assert not refused
        assert str(refused.reason) == "Only instructors and administrators take attendance."
        assert policy.may_save_offline(user["teacher"], course)
        assert policy.may_save_offline(user["admin"], course)
        assert not policy.may_save_offline(user["other"], course)
        assert not policy.may_save_offline(user["trainee"], course)


def test_a_trainees_page_has_no_outbox(app, client, accounts):
    accounts.login_as(Role.TRAINEE)
    page = client.get("/account").text
    # No outbox of its own; only who is signed in, so an instructor's outbox on the same
    # browser knows another account was here (js/outbox.js).
    assert re.search(r'<div id="outbox" hidden data-signed-in="\d+"></div>', page)
    assert "data-account" not in page and "outbox-strings" not in page


def test_an_entry_nested_too_deep_to_read_is_a_json_400_not_a_crash(app, client, setup):
    answer = client.post(
        f"/courses/{setup.id}/attendance/{TODAY.isoformat()}/outbox",
        data="[" * 50_000 + "]" * 50_000,
        content_type="application/json",
        headers={"X-CSRFToken": token(client)},
    )
    assert answer.status_code == 400, answer.text
    assert answer.json["error"]["code"] == "bad_request"
    assert count(app, AttendanceOperation) == 0


def test_a_list_longer_than_any_course_is_refused_before_it_is_read(app, client, setup):
    """350,000 records took seconds of a worker to refuse; the API's PUT refuses at once."""
    records = [{"trainee_id": 1, "status": "present"}] * 10_001
    answer = send(client, setup.id, TODAY, records)
    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == {"records": ["A sheet holds at most 10000 records."]}


def test_nul_characters_are_refused_in_an_entrys_own_fields(app, client, setup):
    records = [{"trainee_id": setup.trainees[0], "status": "present"}]
    answer = send(client, setup.id, TODAY, records, key="op\x00-1")
    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == {"operation_id": ["Must not contain NUL characters."]}
    assert count(app, AttendanceOperation) == 0
