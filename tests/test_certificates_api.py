"""Certificates API: issue through the eligibility rule, numbers, revoke, reissue, verify."""

import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import Enrolment
from models.account import Role
from models.certificate import Certificate
from tests.factories import (
    freeze,
)
from tests.scenarios.api_base import error_of
from tests.scenarios.certificates_api import (
    LATE,
    PEOPLE,
    REASONS,
    START,
    issue,
    make_graduates,
    rows,
    verify,
)
from tests.scenarios.results_api import bearer

AFTER = date(2021, 1, 18)  # the Monday after the course


def at_once(app, calls: list) -> list:
    """Run each call(client) in its own thread with its own client, released together."""
    barrier, answers = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index):
        client = app.test_client()
        barrier.wait()
        answers[index] = calls[index](client)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.fixture
def setup(app, accounts, monkeypatch):
    return make_graduates(app, accounts, monkeypatch)


def test_issue_numbers_and_signs_the_certificate(app, client, setup):
    first, second = issue(client, setup), issue(client, setup, 1)
    assert (first.status_code, second.status_code) == (201, 201)
    assert [first.json["number"], second.json["number"]] == ["2021-00001", "2021-00002"]
    codes = [first.json["verification_code"], second.json["verification_code"]]
    assert all(len(code) >= 12 and code.isalnum() for code in codes) and codes[0] != codes[1]
    assert first.json["verification_url"] == f"http://verify.test/verify/{codes[0]}"
    assert first.json["status"] == "valid" and first.json["holder"] == "Əliyev Rauf"
    assert second.json["holder_latin"] == "Ivanov Petr"
    c = rows(app)[0]
    assert [c.number, c.verification_code, c.status, c.enrolment_id, c.hours] == [
        *("2021-00001", codes[0], "valid"),
        *(setup.enrolments[0], 16),
    ]
    assert (c.issued_on, c.expires_on) == (AFTER, date(2024, 1, 18))  # 36 months
    assert [m["code"] for m in c.modules] == ["A", "B"] and c.qualification == "EOD Level 1"
    with app.app_context():
        assert db.session.get(Enrolment, setup.enrolments[0]).status == "completed"


def test_number_is_of_the_year_of_issue(app, client, accounts, monkeypatch):
    setup = make_graduates(
        app, accounts, monkeypatch, start=date(2021, 12, 20), today=date(2022, 1, 4)
    )
    response = issue(client, setup)
    assert response.status_code == 201
    assert (response.json["number"], response.json["issued_on"]) == ("2022-00001", "2022-01-04")


def test_issuing_twice_gives_nothing_new(app, client, setup):
    first, again = issue(client, setup), issue(client, setup)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json
    assert len(rows(app)) == 1
    assert issue(client, setup, 1).json["number"] == "2021-00002"  # no number was used up


def test_ineligible_trainee_is_refused_with_the_reasons(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=[LATE, *PEOPLE])
    body = error_of(issue(client, setup), 422, "not_eligible")
    assert [(m["code"], m["message"]) for m in body["missing"]] == REASONS
    assert rows(app) == []
    assert issue(client, setup, 1).json["number"] == "2021-00001"  # the refusal took no number


def test_refused_while_the_course_runs(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, today=date(2021, 1, 15))
    body = error_of(issue(client, setup), 422, "not_eligible")
    assert body["missing"] == [
        {"code": "course_not_ended", "message": "The course ends on Jan 15, 2021."}
    ]


def test_course_wide_issue(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=[*PEOPLE, LATE])
    url = f"/api/v1/courses/{setup.course_id}/certificates"
    response = client.post(url, headers=setup.headers)
    assert response.status_code == 200, response.text
    issued = {c["enrolment_id"]: c["number"] for c in response.json["issued"]}
    assert issued == {setup.enrolments[0]: "2021-00001", setup.enrolments[1]: "2021-00002"}
    [refused] = response.json["not_eligible"]
    assert refused["enrolment_id"] == setup.enrolments[2]
    assert [(m["code"], m["message"]) for m in refused["missing"]] == REASONS
    assert [(c.enrolment_id, c.number) for c in rows(app)] == sorted(issued.items())
    again = client.post(url, headers=setup.headers).json
    assert again["issued"] == [] and len(again["not_eligible"]) == 1
    assert len(rows(app)) == 2
    trainee = accounts.bearer(Role.TRAINEE)
    assert client.post(url, headers=trainee).status_code == 403


def test_eight_at_once_get_consecutive_numbers(app, accounts, monkeypatch):
    people = [("AZ-MES", f"Trainee {n}", f"Trainee {n}") for n in range(8)]
    setup = make_graduates(app, accounts, monkeypatch, people=people)
    answers = at_once(app, [lambda c, n=n: issue(c, setup, n) for n in range(8)])
    assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
    numbers = sorted(a.json["number"] for a in answers)
    assert numbers == [f"2021-{n:05d}" for n in range(1, 9)]
    stored = rows(app)
    assert sorted(c.number for c in stored) == numbers
    assert sorted(c.enrolment_id for c in stored) == sorted(setup.enrolments)
    assert len({c.verification_code for c in stored}) == 8


def test_database_refuses_a_second_valid_certificate(app, client, setup):
    assert issue(client, setup).status_code == 201
    with app.app_context():
        first = db.session.scalar(select(Certificate))
        values = {
            c.key: getattr(first, c.key) for c in Certificate.__table__.columns if c.key != "id"
        }
        db.session.add(
            Certificate(**{**values, "number": "2021-09999", "verification_code": "X" * 16})
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        values["status"] = "revoked"  # only one *valid* one: a revoked copy is allowed
        db.session.add(
            Certificate(**{**values, "number": "2021-09998", "verification_code": "Y" * 16})
        )
        db.session.commit()
    assert len(rows(app)) == 2


def test_revoke_needs_a_reason_and_verification_says_so(app, client, setup):
    certificate = issue(client, setup).json
    url = f"/api/v1/certificates/{certificate['number']}/revoke"
    body = error_of(client.post(url, headers=setup.headers, json={}), 422, "validation_error")
    assert "reason" in body["fields"]
    error_of(
        client.post(url, headers=setup.headers, json={"reason": "   "}), 422, "validation_error"
    )
    assert rows(app)[0].status == "valid"
    response = client.post(url, headers=setup.headers, json={"reason": "Forged medical papers"})
    assert response.status_code == 200, response.text
    assert response.json["status"] == "revoked"
    assert response.json["revocation_reason"] == "Forged medical papers"
    stored = rows(app)[0]
    assert (stored.status, stored.revoked_on) == ("revoked", AFTER)
    assert stored.revocation_reason == "Forged medical papers"
    checked = verify(client, certificate["verification_code"]).json
    assert (checked["valid"], checked["status"]) == (False, "revoked")
    error_of(client.post(url, headers=setup.headers, json={"reason": "again"}), 409, "conflict")


def test_reissue_supersedes_the_old_number(app, client, setup):
    old = issue(client, setup).json
    response = client.post(f"/api/v1/certificates/{old['number']}/reissue", headers=setup.headers)
    assert response.status_code == 201, response.text
    new = response.json
    assert (new["number"], new["status"], new["replaces"]) == ("2021-00002", "valid", old["number"])
    assert new["verification_code"] != old["verification_code"]
    again = client.get(f"/api/v1/certificates/{old['number']}", headers=setup.headers).json
    assert (again["status"], again["superseded_by"]) == ("superseded", new["number"])
    first, second = rows(app)
    assert (first.status, first.superseded_by_id) == ("superseded", second.id)
    assert (second.status, second.replaces_id) == ("valid", first.id)
    assert second.enrolment_id == first.enrolment_id
    checked = verify(client, old["verification_code"]).json
    assert (checked["valid"], checked["status"]) == (False, "superseded")
    assert verify(client, new["verification_code"]).json["valid"] is True
    url = f"/api/v1/certificates/{old['number']}/reissue"
    error_of(client.post(url, headers=setup.headers), 409, "conflict")


def test_expired_after_its_expiry_date(app, client, accounts, setup, monkeypatch):
    certificate = issue(client, setup).json
    url = f"/api/v1/certificates/{certificate['number']}"

    def status_on(day):
        freeze(monkeypatch, day)
        headers = bearer(accounts, setup.admin)  # a token lives hours, not days
        return client.get(url, headers=headers).json["status"]

    assert status_on(date(2024, 1, 18)) == "valid"  # its last day
    assert status_on(date(2024, 1, 19)) == "expired"
    checked = verify(client, certificate["verification_code"]).json
    assert (checked["valid"], checked["status"]) == (False, "expired")
    assert rows(app)[0].status == "valid"  # expiry is shown, never stored


@pytest.mark.parametrize(
    ("field", "value"),
    [("holder_name", "Someone Else"), ("expires_on", date(2040, 1, 1)), ("hours", 400)],
)
def test_an_edited_record_fails_verification(app, client, setup, field, value):
    code = issue(client, setup).json["verification_code"]
    with app.app_context():
        db.session.execute(Certificate.__table__.update().values({field: value}))
        db.session.commit()
    checked = verify(client, code).json
    assert (checked["valid"], checked["status"]) == (False, "invalid")


def test_only_the_holder_and_administrators_read_a_certificate(app, client, accounts, setup):
    number = issue(client, setup).json["number"]
    url = f"/api/v1/certificates/{number}"
    holder = accounts.bearer(Role.TRAINEE, trainee_id=setup.trainees[0])
    response = client.get(url, headers=holder)
    assert response.status_code == 200 and response.json["number"] == number
    error_of(client.get(url, headers=accounts.bearer(Role.TRAINEE)), 403, "forbidden")
    classmate = accounts.bearer(Role.TRAINEE, trainee_id=setup.trainees[1])
    error_of(client.get(url, headers=classmate), 403, "forbidden")
    error_of(client.get(url, headers=accounts.bearer(Role.INSTRUCTOR)), 403, "forbidden")
    error_of(client.get(url), 401, "unauthorized")
    error_of(client.get("/api/v1/certificates/2021-99999", headers=setup.headers), 404, "not_found")
    error_of(issue(client, SimpleNamespace(**{**vars(setup), "headers": holder})), 403, "forbidden")


def test_verification_tells_nothing_personal(app, client, setup):
    code = issue(client, setup).json["verification_code"]
    response = verify(client, code)
    assert response.status_code == 200
    assert response.json == {
        "valid": True,
        "status": "valid",
        "number": "2021-00001",
        "holder": "Əliyev Rauf",
        "holder_latin": "Aliyev Rauf",
        "course": "Course CRS-1",
        "qualification": "EOD Level 1",
        "issued_on": "2021-01-18",
        "expires_on": "2024-01-18",
        "approvals": [],
        "approvals_required": [],
        "holder_rank": "leytenant",
        "holder_organisation": "Ministry AZ-MES",
        "personal_number_masked": response.json["personal_number_masked"],
        "birth_year": 1995,
    }
    with app.app_context():
        personal_number = db.session.get(Enrolment, setup.enrolments[0]).trainee.personal_number
    # A checkpoint sees the last four characters and the year of birth, no more.
    assert response.json["personal_number_masked"].endswith(personal_number[-4:])
    assert personal_number not in response.text and "1995-05-17" not in response.text
    assert verify(client, code.lower()).json["number"] == "2021-00001"


def test_unknown_code_is_404_json(client, setup):
    error_of(verify(client, "AAAAAAAAAAAAAAAA"), 404, "not_found")


def test_verification_is_rate_limited_per_address(client, setup):
    code = issue(client, setup).json["verification_code"]
    answers = [verify(client, code).status_code for _ in range(30)]
    assert answers == [200] * 30
    refused = verify(client, code)
    assert refused.status_code == 429
    assert refused.content_type == "application/json" and "error" in refused.json
    other = client.get(f"/api/v1/verify/{code}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_one_enrolment_issued_from_four_threads_gets_one_certificate(app, client, setup):
    answers = at_once(app, [lambda c: issue(c, setup)] * 4)
    # One wins; the others get the same certificate or a conflict, never a second number.
    assert sum(a.status_code == 201 for a in answers) == 1
    for answer in answers:
        assert answer.status_code in (200, 201, 409), answer.text
        if answer.status_code != 409:
            assert answer.json["number"] == "2021-00001"
    assert [c.number for c in rows(app)] == ["2021-00001"]
    assert issue(client, setup, 1).json["number"] == "2021-00002"


def test_reissue_of_an_expired_certificate_does_not_renew_it(client, accounts, setup, monkeypatch):
    number = issue(client, setup).json["number"]
    freeze(monkeypatch, date(2024, 2, 1))
    headers = bearer(accounts, setup.admin)  # a token lives hours, not years
    response = client.post(f"/api/v1/certificates/{number}/reissue", headers=headers)
    assert response.status_code == 409 or response.json["expires_on"] == "2024-01-18"


def test_a_result_under_a_certificate_is_corrected_only_after_it_is_revoked(
    app, client, accounts, monkeypatch
):
    """A pass corrected to a fail beneath a valid certificate left the certificate valid."""
    setup = make_graduates(app, accounts, monkeypatch, today=START + timedelta(days=5))
    number = issue(client, setup).json["number"]
    attempts = f"/api/v1/enrolments/{setup.enrolments[0]}/results/A"
    attempt = client.get(attempts, headers=setup.headers).json["items"][0]
    url = f"/api/v1/results/{attempt['id']}"
    failed = {"score": 10, "version": attempt["version"]}
    refused = error_of(client.patch(url, json=failed, headers=setup.headers), 409, "conflict")
    assert refused["message"] == (
        f"Certificate {number} was issued on these results: revoke it first, then correct "
        "the result."
    )
    assert client.get(attempts, headers=setup.headers).json["items"][0]["score"] == 85
    noted = {"note": "Marked on paper first", "version": attempt["version"]}
    assert client.patch(url, json=noted, headers=setup.headers).status_code == 200  # not printed

    revoked = client.post(
        f"/api/v1/certificates/{number}/revoke",
        json={"reason": "Score mistyped"},
        headers=setup.headers,
    )
    assert revoked.status_code == 200, revoked.text
    version = client.get(attempts, headers=setup.headers).json["items"][0]["version"]
    corrected = client.patch(url, json={"score": 10, "version": version}, headers=setup.headers)
    assert corrected.status_code == 200, corrected.text
    progress = client.get(
        f"/api/v1/enrolments/{setup.enrolments[0]}/progress", headers=setup.headers
    ).json
    assert progress["eligible"] is False


def test_a_reissue_meets_the_rules_of_a_first_issue(app, client, accounts, monkeypatch):
    """Reissued after the trainee stopped meeting the rules (the programme's threshold
    raised since), the copy would have been a valid certificate for someone not eligible."""
    setup = make_graduates(app, accounts, monkeypatch, today=START + timedelta(days=5))
    course = client.get(f"/api/v1/courses/{setup.course_id}", headers=setup.headers).json
    programme = f"/api/v1/programmes/{course['programme_id']}"
    version = client.get(programme, headers=setup.headers).json["version"]
    lowered = client.patch(
        programme, json={"version": version, "attendance_threshold": 75}, headers=setup.headers
    )
    assert lowered.status_code == 200, lowered.text
    day = f"/api/v1/courses/{setup.course_id}/attendance/{START.isoformat()}"
    records = [{"trainee_id": setup.trainees[0], "status": "absent"}]
    assert client.put(day, json={"records": records}, headers=setup.headers).status_code == 200
    old = issue(client, setup).json  # 4 days of 5: 80 %, above 75 %
    version = client.get(programme, headers=setup.headers).json["version"]
    raised = client.patch(
        programme, json={"version": version, "attendance_threshold": 90}, headers=setup.headers
    )
    assert raised.status_code == 200, raised.text
    url = f"/api/v1/certificates/{old['number']}/reissue"
    refused = error_of(client.post(url, headers=setup.headers), 422, "not_eligible")
    assert [m["code"] for m in refused["missing"]] == ["attendance_below_threshold"]
    assert [(c.number, c.status) for c in rows(app)] == [(old["number"], "valid")]


def test_a_sheet_correction_never_takes_a_holder_below_the_threshold(
    app, client, accounts, monkeypatch
):
    """The last sheets can be corrected after certificates are issued: marked absent, a
    holder would fall below the threshold while their certificate stayed valid."""
    setup = make_graduates(app, accounts, monkeypatch, today=START + timedelta(days=5))
    holder, other = setup.trainees[0], setup.trainees[1]
    number = issue(client, setup).json["number"]
    first = f"/api/v1/courses/{setup.course_id}/attendance/{START.isoformat()}"
    version = client.get(first, headers=setup.headers).json["version"]
    records = [
        {"trainee_id": other, "status": "late"},
        {"trainee_id": holder, "status": "absent"},  # 4 days of 5: 80 %, below 90 %
    ]
    body = {"version": version, "records": records}
    refused = error_of(client.put(first, json=body, headers=setup.headers), 422, "validation_error")
    assert refused["fields"] == {
        "records.1.status": [
            f"Əliyev Rauf holds certificate {number}, and this change takes their attendance "
            "below 90%: revoke the certificate first, then correct the sheet."
        ]
    }
    statuses = {
        r["trainee_id"]: r["status"]
        for r in client.get(first, headers=setup.headers).json["records"]
    }
    assert (statuses[holder], statuses[other]) == ("present", "present")  # nothing saved
    body["records"][1]["status"] = "excused"  # excused days do not count: still 100 %
    assert client.put(first, json=body, headers=setup.headers).status_code == 200
