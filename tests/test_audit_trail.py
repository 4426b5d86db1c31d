"""The audit trail: who changed what and when, secrets kept out, a chain that tells tampering."""

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, text, update

from core.audit import AuditEntry, AuditHead, entry_hash
from extensions import db
from models.account import Role, User
from tests.conftest import post_form
from tests.factories import freeze, make_organisation
from tests.scenarios.certificates_api import LATE, PEOPLE, make_graduates

ROUNDS = 4


def last_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(AuditEntry.id))) or 0


def entries_since(app, mark: int, **where) -> list[AuditEntry]:
    with app.app_context():
        statement = select(AuditEntry).where(AuditEntry.id > mark).order_by(AuditEntry.id)
        return db.session.scalars(statement.filter_by(**where)).all()


def one_change(app, client, setup, method, url, body, entity, action="update"):
    """Send the change as the administrator; the single entry it left about `entity`."""
    mark, started = last_id(app), datetime.now(UTC)
    answer = client.open(url, method=method, headers=setup.headers, json=body)
    assert answer.status_code in (200, 201), answer.text
    (entry,) = entries_since(app, mark, entity=entity, action=action)
    assert entry.user_id == setup.admin["id"] and entry.address == "127.0.0.1"
    assert started - timedelta(seconds=1) <= entry.at <= datetime.now(UTC)
    return entry, answer.json


@pytest.fixture
def setup(app, accounts, monkeypatch):
    """A finished course: one graduate, and one trainee who passed nothing."""
    return make_graduates(app, accounts, monkeypatch, people=[PEOPLE[0], LATE])


def test_each_kind_of_training_record_change_keeps_who_when_where_before_after(app, client, setup):
    course = f"/api/v1/courses/{setup.course_id}"
    version = client.get(course, headers=setup.headers).json["version"]
    entry, _ = one_change(
        app, client, setup, "PATCH", course, {"version": version, "title": "Renamed"}, "courses"
    )
    assert (entry.entity_id, entry.course_id) == (setup.course_id, setup.course_id)
    assert (entry.before["title"], entry.after["title"]) == ("Course CRS-1", "Renamed")

    trainee = f"/api/v1/trainees/{setup.trainees[0]}"
    body = {"version": client.get(trainee, headers=setup.headers).json["version"]}
    entry, _ = one_change(
        app, client, setup, "PATCH", trainee, {**body, "rank": "kapitan"}, "trainees"
    )
    assert (entry.entity_id, entry.trainee_id) == (setup.trainees[0], setup.trainees[0])
    assert (entry.before["rank"], entry.after["rank"]) == ("leytenant", "kapitan")
    renamed = {**body, "version": body["version"] + 1, "full_name_latin": "Aliyev Rauf Ali"}
    entry, _ = one_change(app, client, setup, "PATCH", trainee, renamed, "trainees")
    # The name is in the trail; the lookup columns made from it are not.
    assert entry.after == {"full_name_latin": "Aliyev Rauf Ali"}

    attempt = f"/api/v1/enrolments/{setup.enrolments[1]}/results/A"
    body = {"score": 40, "assessed_on": "2021-01-15"}
    entry, result = one_change(
        app, client, setup, "POST", attempt, body, "module_results", "create"
    )
    assert entry.before is None and entry.after["score"] == 40
    assert (entry.entity_id, entry.trainee_id) == (result["id"], setup.trainees[1])
    url, body = f"/api/v1/results/{result['id']}", {"version": result["version"], "score": 45}
    entry, _ = one_change(app, client, setup, "PATCH", url, body, "module_results")
    assert (entry.before["score"], entry.after["score"]) == (40, 45)

    url = f"/api/v1/enrolments/{setup.enrolments[1]}/withdraw"
    body = {"reason": "Medical", "date": "2021-01-15"}
    entry, _ = one_change(app, client, setup, "POST", url, body, "enrolments")
    assert (entry.before["status"], entry.after["status"]) == ("enrolled", "withdrawn")
    assert entry.after["withdrawal_reason"] == "Medical"

    url = f"/api/v1/enrolments/{setup.enrolments[0]}/certificate"
    entry, issued = one_change(app, client, setup, "POST", url, None, "certificates", "create")
    assert entry.after["number"] == issued["number"] and entry.after["status"] == "valid"
    url = f"/api/v1/certificates/{issued['number']}/revoke"
    entry, _ = one_change(app, client, setup, "POST", url, {"reason": "Typo"}, "certificates")
    assert (entry.before["status"], entry.after["status"]) == ("valid", "revoked")


def test_an_attendance_correction_keeps_the_status_before(app, client, setup):
    course = f"/api/v1/courses/{setup.course_id}"
    sheet = f"{course}/attendance/2021-01-15"
    body = {"version": client.get(sheet, headers=setup.headers).json["version"]}
    body["records"] = [{"trainee_id": setup.trainees[0], "status": "absent"}]
    entry, _ = one_change(app, client, setup, "PUT", sheet, body, "attendance_records")
    assert (entry.course_id, entry.trainee_id) == (setup.course_id, setup.trainees[0])
    assert (entry.before["status"], entry.after["status"]) == ("present", "absent")


def test_who_teaches_a_course_is_audited_and_makes_a_new_version(app, client, accounts, setup):
    """The course's row does not change when its instructors do, yet who may read and write
    its sheets did: no entry was written, and a client holding the old version overwrote it."""
    other = accounts.make(Role.INSTRUCTOR, full_name="Orxan Vəliyev")
    course = f"/api/v1/courses/{setup.course_id}"
    before = client.get(course, headers=setup.headers).json
    body = {"version": before["version"], "instructor_ids": [other["id"]]}
    entry, after = one_change(app, client, setup, "PATCH", course, body, "courses")
    assert (entry.before, entry.after) == (
        {"instructors": sorted(before["instructor_ids"])},
        {"instructors": [other["id"]]},
    )
    assert after["version"] == before["version"] + 1
    stale = client.patch(course, headers=setup.headers, json={**body, "instructor_ids": []})
    assert stale.status_code == 409, stale.text
    assert client.get(course, headers=setup.headers).json["instructor_ids"] == [other["id"]]


def test_the_audit_page_leaves_out_lookup_columns_older_entries_carry():
    from core.i18n import readable_json

    older = {"full_name_latin": "Əliyev", "search_text": "eliyev aliyev", "sort_name": "e1l0"}
    assert readable_json(older) == '{"full_name_latin": "Əliyev"}'


def test_secrets_never_reach_the_trail(app, client, accounts):
    admin = accounts.make(Role.ADMIN)
    headers = {"Authorization": f"Bearer {accounts.token(admin)}"}
    new = {"email": "new@example.org", "full_name": "New", "role": "instructor"}
    made = client.post("/api/v1/users", headers=headers, json={**new, "password": "first secret 1"})
    assert made.status_code == 201
    changed = {"version": made.json["version"], "password": "second secret 2"}
    patched = client.patch(f"/api/v1/users/{made.json['id']}", headers=headers, json=changed)
    assert patched.status_code == 200
    accounts.login({"email": new["email"], "password": "a wrong secret 3"})
    accounts.login({"email": new["email"], "password": "second secret 2"})
    with app.app_context():
        hashes = db.session.scalars(select(User.password_hash)).all()
        trail = json.dumps([[e.before, e.after] for e in db.session.scalars(select(AuditEntry))])
    assert new["email"] in trail  # the account and its sign-ins are in the trail
    for secret in ("password", "token", "key_hash", "secret 1", "secret 2", "secret 3"):
        assert secret not in trail
    assert not any(value in trail for value in hashes)


# --- the chain -----------------------------------------------------------------------


def verify(runner):
    result = runner.invoke(args=["audit-verify"])
    return result.exit_code, result.output


def test_audit_verify_passes_on_an_intact_trail(app, runner, setup):
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert count > 20
    code, output = verify(runner)
    assert code == 0
    assert output.startswith(f"The audit trail is intact: {count} entries.\n")
    assert "Attendance, results, certificates and what they are judged by match" in output


def middle_and_next(app) -> tuple[AuditEntry, AuditEntry]:
    with app.app_context():
        ids = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
        middle = ids[len(ids) // 2]
        return db.session.get(AuditEntry, middle), db.session.get(
            AuditEntry, ids[len(ids) // 2 + 1]
        )


def tamper(app, *statements) -> None:
    with app.app_context():
        for statement, values in statements:
            db.session.execute(text(statement) if isinstance(statement, str) else statement, values)
        db.session.commit()


def forged_after(entry: AuditEntry) -> dict:
    return {
        "at": entry.at + timedelta(microseconds=1),
        "user_id": None,
        "address": "127.0.0.1",
        "action": "update",
        "entity": "module_results",
        "entity_id": 1,
        "course_id": entry.course_id,
        "trainee_id": None,
        "before": {"score": 40},
        "after": {"score": 95},
        "prev_hash": entry.hash,
    }


@pytest.mark.parametrize("how", ["address", "after", "who", "removed", "forged"])
def test_audit_verify_names_the_first_broken_entry(app, runner, setup, how):
    middle, following = middle_and_next(app)
    named = following if how in ("removed", "forged") else middle
    named_id, where = named.id, {"id": middle.id}
    if how == "address":
        tamper(app, ("UPDATE audit_entries SET address = '10.6.6.6' WHERE id = :id", where))
    elif how == "after":
        changed = update(AuditEntry).where(AuditEntry.id == middle.id)
        tamper(app, (changed.values(after={"forged": True}), {}))
    elif how == "who":
        who = None if middle.user_id else setup.admin["id"]
        changed = "UPDATE audit_entries SET user_id = :who WHERE id = :id"
        tamper(app, (changed, {**where, "who": who}))
    elif how == "removed":
        tamper(app, ("DELETE FROM audit_entries WHERE id = :id", where))
    else:  # a forged entry that follows its predecessor correctly, between two real ones
        forged = forged_after(middle)
        with app.app_context():
            forged["hash"] = entry_hash(forged)
        moved = "UPDATE audit_entries SET id = id + 100000 WHERE id > :id"
        tamper(app, (moved, where), (insert(AuditEntry), {"id": middle.id + 1, **forged}))
        named_id += 100000
    code, output = verify(runner)
    assert code == 1
    assert f"The audit trail is broken at entry {named_id} ({named.action} " in output
    reason = "it was edited" if how in ("address", "after", "who") else "one was removed"
    assert reason in output


def test_audit_verify_sees_entries_removed_at_the_end(app, runner, setup):
    tamper(app, ("DELETE FROM audit_entries WHERE id > :id", {"id": last_id(app) - 2}))
    code, output = verify(runner)
    assert code == 1
    assert "broken at the end of the chain" in output and "removed at the end" in output


def test_a_revocation_undone_in_the_database_is_seen_by_the_server_that_wrote_it(
    app, client, runner, setup
):
    """Put the valid row back, cut the revocation's entries off the trail's end and move
    its head back: the chain left is whole, but this server wrote a longer one."""
    number = client.post(
        f"/api/v1/enrolments/{setup.enrolments[0]}/certificate", headers=setup.headers
    ).json["number"]
    with app.app_context():
        head = db.session.get(AuditHead, 1)
        before = (head.entries, head.last_hash)
        row = dict(
            db.session.execute(
                text(
                    "SELECT status, signature, key_id, version FROM certificates WHERE number = :n"
                ),
                {"n": number},
            )
            .mappings()
            .one()
        )
    mark = last_id(app)
    revoked = client.post(
        f"/api/v1/certificates/{number}/revoke",
        json={"reason": "Forged papers"},
        headers=setup.headers,
    )
    assert revoked.status_code == 200
    tamper(
        app,
        (
            "UPDATE certificates SET status = :status, signature = :signature, key_id = :key_id,"
            " version = :version, revoked_on = NULL, revocation_reason = NULL WHERE number = :n",
            {**row, "n": number},
        ),
        ("DELETE FROM audit_entries WHERE id > :id", {"id": mark}),
        (
            "UPDATE audit_head SET entries = :entries, last_hash = :hash WHERE id = 1",
            {"entries": before[0], "hash": before[1]},
        ),
    )
    assert client.get(f"/api/v1/verify/{number_code(app, number)}").json["status"] == "valid"
    code, output = verify(runner)
    assert code == 1
    assert "The audit trail is not the one this server wrote" in output
    assert f"and it holds {before[0]}: entries were cut off its end" in output


def test_concurrent_writers_leave_one_unforked_chain(app, runner, accounts):
    organisation_id = make_organisation(app)
    admins = [accounts.bearer(Role.ADMIN), accounts.bearer(Role.ADMIN)]
    answers = []

    def create(headers, number, barrier):
        body = {
            "organisation_id": organisation_id,
            "personal_number": number,
            "rank": "leytenant",
            "full_name": f"Trainee {number}",
            "date_of_birth": "1990-01-01",
            "medical_clearance_until": "2030-01-01",
        }
        client = app.test_client()
        barrier.wait(timeout=30)
        answers.append(client.post("/api/v1/trainees", headers=headers, json=body).status_code)

    for round_ in range(ROUNDS):
        barrier = threading.Barrier(len(admins))
        threads = [
            threading.Thread(target=create, args=(headers, f"R{round_}-{n}", barrier))
            for n, headers in enumerate(admins)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert answers == [201] * len(admins) * ROUNDS
    with app.app_context():
        forks = db.session.execute(
            select(AuditEntry.prev_hash).group_by(AuditEntry.prev_hash).having(func.count() > 1)
        ).all()
        count = db.session.scalar(select(func.count()).select_from(AuditEntry))
        assert forks == [] and db.session.get(AuditHead, 1).entries == count
        created = select(func.count()).where(AuditEntry.entity == "trainees")
        assert db.session.scalar(created) == len(admins) * ROUNDS
    assert verify(runner)[0] == 0


# --- security events -----------------------------------------------------------------


def test_sign_ins_failures_and_lock_out_leave_entries(app, client, accounts):
    account = accounts.make(Role.INSTRUCTOR)
    mark = last_id(app)
    accounts.login(account)
    (signed_in,) = entries_since(app, mark, action="sign_in")
    assert (signed_in.entity_id, signed_in.address) == (account["id"], "127.0.0.1")
    other, mark = app.test_client(), last_id(app)
    for _ in range(5):
        accounts.login({"email": account["email"], "password": "not the password"}, other)
    failed = entries_since(app, mark, action="sign_in_failed")
    assert [e.after for e in failed] == [{"email": account["email"]}] * 5
    (locked,) = entries_since(app, mark, action="sign_in_locked")
    assert locked.after == {"email": account["email"]} and locked.address == "127.0.0.1"


def test_a_refusal_and_a_certificate_download_leave_entries(app, client, accounts, setup):
    issued = client.post(f"/api/v1/courses/{setup.course_id}/certificates", headers=setup.headers)
    number = issued.json["issued"][0]["number"]
    trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    accounts.login(trainee)
    mark = last_id(app)
    assert client.get("/admin").status_code == 403
    (refused,) = entries_since(app, mark, action="access_refused")
    assert refused.user_id == trainee["id"] and refused.after == {"method": "GET", "path": "/admin"}
    assert client.get(f"/certificates/{number}.pdf").status_code == 200
    (printed,) = entries_since(app, mark, action="print")
    assert (printed.user_id, printed.entity, printed.trainee_id) == (
        trainee["id"],
        "certificates",
        setup.trainees[0],
    )
    assert printed.after == {"number": number, "kind": "single"}


def refused_old_sheet(app, client, accounts, monkeypatch, through):
    """An instructor changes a sheet past the correction window: (status, entries left)."""
    instructor = accounts.make(Role.INSTRUCTOR)
    setup = make_graduates(app, accounts, monkeypatch, instructor_ids=[instructor["id"]])
    freeze(monkeypatch, date(2021, 1, 25))  # day 1 is 14 days old
    course, mark = setup.course_id, last_id(app)
    if through == "api":
        url = f"/api/v1/courses/{course}/attendance/2021-01-11"
        body = {"version": 1, "records": [{"trainee_id": setup.trainees[0], "status": "absent"}]}
        status = client.put(url, headers=accounts_bearer(accounts, instructor), json=body)
    else:
        accounts.login(instructor)
        form = {"version": "1", f"status-{setup.trainees[0]}": "absent"}
        status = post_form(client, f"/courses/{course}/attendance/2021-01-11", form)
    return status.status_code, entries_since(app, mark, action="access_refused")


def accounts_bearer(accounts, account) -> dict:
    return {"Authorization": f"Bearer {accounts.token(account)}"}


def test_a_refused_old_sheet_correction_through_the_api_is_audited(
    app, client, accounts, monkeypatch
):
    status, refusals = refused_old_sheet(app, client, accounts, monkeypatch, "api")
    assert status == 403 and len(refusals) == 1


def test_a_refused_old_sheet_correction_on_the_page_is_audited(app, client, accounts, monkeypatch):
    status, refusals = refused_old_sheet(app, client, accounts, monkeypatch, "page")
    assert status == 403
    assert len(refusals) == 1


def number_code(app, number: str) -> str:
    with app.app_context():
        return db.session.scalar(
            text("SELECT verification_code FROM certificates WHERE number = :n"), {"n": number}
        )
