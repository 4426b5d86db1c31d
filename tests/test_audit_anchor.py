"""An insider with write access to the database cannot rewrite the audit trail unseen.

The attack that worked on the plain SHA-256 chain: change an attendance entry,
recompute every hash and the head, and `audit-verify` said "intact". Keyed with
AUDIT_KEY (outside the database), the recomputed chain no longer verifies; an
edit of the record itself, without touching the trail, is caught by the records'
tie to the trail; and a rewrite by someone holding the key is caught by a
checkpoint kept outside the database.
"""

import hashlib
import json

import pytest
from sqlalchemy import select, text, update

from core.audit import CONTENT, GENESIS, AuditEntry, _plain, entry_hash
from core.audit_anchor import AuditCheckpoint
from core.audit_heads import heads_file
from extensions import db
from tests.scenarios.certificates_api import LATE, PEOPLE, make_graduates


@pytest.fixture
def setup(app, accounts, monkeypatch):
    return make_graduates(app, accounts, monkeypatch, people=[PEOPLE[0], LATE])


def verify(runner, *arguments):
    result = runner.invoke(args=["audit-verify", *arguments])
    return result.exit_code, result.output


def plain_sha256(values: dict) -> str:
    """The hash the chain used before it was keyed: anyone can compute it."""
    canonical = json.dumps(
        {name: _plain(values.get(name)) for name in CONTENT},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def rewrite_trail(app, edit, hasher) -> None:
    """Edit entries, then recompute every hash, link and the head, as an insider would."""
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        previous = GENESIS
        for entry in entries:
            values = {name: getattr(entry, name) for name in CONTENT}
            values = edit(values)
            values["prev_hash"] = previous
            previous = hasher(values)
            db.session.execute(
                update(AuditEntry.__table__)
                .where(AuditEntry.id == entry.id)
                .values(after=values["after"], prev_hash=values["prev_hash"], hash=previous)
            )
        db.session.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": previous})
        db.session.commit()


def absent_to_present(values: dict) -> dict:
    """The forger's edit: an absence becomes a presence in the trail."""
    after = values["after"]
    if values["entity"] == "attendance_records" and after and after.get("status") == "absent":
        values["after"] = {**after, "status": "present"}
    return values


def make_absences_presences(app) -> None:
    with app.app_context():
        db.session.execute(
            text("UPDATE attendance_records SET status = 'present' WHERE status = 'absent'")
        )
        db.session.commit()


def test_a_rewritten_and_rehashed_trail_is_detected(app, runner, setup):
    assert verify(runner)[0] == 0
    make_absences_presences(app)
    rewrite_trail(app, absent_to_present, plain_sha256)
    code, output = verify(runner)
    assert code == 1
    assert "its content does not match its hash (it was edited)" in output


def test_a_record_edited_behind_the_trail_is_detected(app, runner, setup):
    make_absences_presences(app)  # the rows only: the trail still says absent
    code, output = verify(runner)
    assert code == 1
    assert "The audit trail is intact" in output  # the chain itself was not touched
    assert "records differ from the audit trail" in output
    assert "is 'present', the trail last set it to 'absent'" in output


def test_a_result_edited_behind_the_trail_is_detected(app, runner, setup):
    with app.app_context():
        db.session.execute(text("UPDATE module_results SET score = 100"))
        db.session.commit()
    code, output = verify(runner)
    assert code == 1
    assert "module_results row" in output and "differs from the trail in score" in output


@pytest.mark.parametrize(
    ("statement", "said"),
    [
        ("UPDATE modules SET pass_mark = 10 WHERE pass_mark IS NOT NULL", "in pass_mark"),
        ("UPDATE programmes SET attendance_threshold = 50", "in attendance_threshold"),
        ("UPDATE programmes SET max_attempts = 9", "in max_attempts"),
        ("UPDATE modules SET mandatory = false", "in mandatory"),
        ("UPDATE enrolments SET status = 'withdrawn', withdrawn_on = '2021-01-12'", "in status"),
        (
            "INSERT INTO course_holidays (course_id, day) SELECT id, end_date FROM courses",
            "is not in the audit trail",
        ),
        ("UPDATE courses SET end_date = start_date", "in end_date"),
    ],
    ids=["pass-mark", "threshold", "attempts", "mandatory", "enrolment", "holiday", "end"],
)
def test_what_eligibility_is_judged_by_edited_behind_the_trail_is_detected(
    app, runner, setup, statement, said
):
    """A pass mark lowered, a threshold, a withdrawal undone: each would certify someone
    who did not earn it, without an entry in the trail."""
    assert verify(runner)[0] == 0
    with app.app_context():
        db.session.execute(text(statement))
        db.session.commit()
    code, output = verify(runner)
    assert code == 1, output
    assert "records differ from the audit trail" in output and said in output


def test_a_certificate_row_added_behind_the_trail_is_detected(app, runner, setup):
    answer = app.test_client().post(
        f"/api/v1/enrolments/{setup.enrolments[0]}/certificate", headers=setup.headers
    )
    assert answer.status_code == 201
    assert verify(runner)[0] == 0
    with app.app_context():
        db.session.execute(text("DELETE FROM certificates"))
        db.session.commit()
    code, output = verify(runner)
    assert code == 1 and "certificates row" in output and "was removed" in output


def test_anchor_prints_stores_and_pins_the_trail(app, runner, setup, tmp_path):
    checkpoint_file = tmp_path / "checkpoint.json"
    result = runner.invoke(args=["audit-anchor", "--output", str(checkpoint_file)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert json.loads(checkpoint_file.read_text()) == printed
    with app.app_context():
        stored = db.session.scalar(select(AuditCheckpoint))
        last = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert stored.as_document() == printed
        # The anchoring is on the trail, just after the head it pins.
        assert last.action == "anchor" and last.id == printed["last_entry_id"] + 1
    code, output = verify(runner, "--checkpoint", str(checkpoint_file))
    assert code == 0, output
    assert f"matches the checkpoint of {printed['at']}" in output

    # Someone who holds the key rewrites the trail and the record. This server's record of
    # the heads it wrote tells; once that is gone too, only the checkpoint kept elsewhere.
    make_absences_presences(app)
    with app.app_context():
        key = app.config["AUDIT_KEY"]
    rewrite_trail(app, absent_to_present, lambda values: entry_hash(values, key))
    code, output = verify(runner)
    assert code == 1 and "is not the one this server wrote" in output
    with app.app_context():
        heads_file().unlink()
    assert verify(runner)[0] == 0
    code, output = verify(runner, "--checkpoint", str(checkpoint_file))
    assert code == 1
    assert "does not match the checkpoint" in output and "was rewritten" in output


def test_a_forged_checkpoint_is_refused(app, runner, setup, tmp_path):
    result = runner.invoke(args=["audit-anchor"])
    document = json.loads(result.output)
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**document, "entries": document["entries"] - 1}))
    code, output = verify(runner, "--checkpoint", str(forged))
    assert code == 1 and "signature does not match" in output
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json")
    code, output = verify(runner, "--checkpoint", str(garbage))
    assert code == 1 and "is not a checkpoint" in output


def test_the_audit_page_shows_the_latest_checkpoint(app, client, runner, accounts, setup):
    document = json.loads(runner.invoke(args=["audit-anchor"]).output)
    accounts.login_as()
    page = client.get("/audit")
    assert page.status_code == 200
    assert document["head"] in page.text
    assert f"{document['entries']}" in page.text


def test_the_demo_history_with_revoked_and_reissued_certificates_matches_its_trail(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    code, output = verify(runner)
    assert code == 0, output
    assert "Attendance, results, certificates and what they are judged by match" in output
