"""Both ministries approve a certificate before it is valid (four eyes), through the API."""

import hashlib
import hmac
import json

import pytest
from sqlalchemy import delete, select

from core.audit import AuditEntry
from core.keys import key_id
from extensions import db
from models import Certificate, CertificateApproval, ModuleResult, Organisation, Role, User
from tests.scenarios.api_base import error_of
from tests.scenarios.certificate_approvals import (
    approvals_needed,
    approve,
    approver,
    organisation_id,
)
from tests.scenarios.certificates_api import issue, make_graduates, verify
from trainees.certificates.issuing import SIGNED_FIELDS, is_authentic
from trainees.certificates.keys import new_private_pem


@pytest.fixture
def pending(app, accounts, monkeypatch, client):
    setup = make_graduates(app, accounts, monkeypatch)
    approvals_needed(app)
    setup.certificate = issue(client, setup).json
    setup.az = approver(app, accounts, "AZ-MES", "Həsənov Elçin")
    setup.ru = approver(app, accounts, "RU-MCHS", "Петров Иван")
    return setup


def test_issued_certificate_waits_for_every_issuing_organisation(app, client, pending):
    certificate = pending.certificate
    assert certificate["status"] == "pending_approval"
    assert certificate["approvals_required"] == ["Ministry AZ-MES", "Ministry RU-MCHS"]
    assert certificate["approvals"] == []
    checked = verify(client, certificate["verification_code"]).json
    assert (checked["valid"], checked["status"]) == (False, "pending_approval")


def test_approval_by_both_ministries_makes_it_valid(app, client, pending):
    number, code = pending.certificate["number"], pending.certificate["verification_code"]
    first = approve(client, pending.az, number)
    assert first.status_code == 200, first.text
    assert first.json["status"] == "pending_approval"
    assert [a["name"] for a in first.json["approvals"]] == ["Həsənov Elçin"]
    assert verify(client, code).json["valid"] is False
    second = approve(client, pending.ru, number)
    assert second.status_code == 200 and second.json["status"] == "valid"
    checked = verify(client, code).json
    assert checked["valid"] is True
    assert [(a["organisation"], a["name"], a["position"]) for a in checked["approvals"]] == [
        ("Ministry AZ-MES", "Həsənov Elçin", "Head of demining, AZ-MES"),
        ("Ministry RU-MCHS", "Петров Иван", "Head of demining, RU-MCHS"),
    ]
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.number == number))
        assert is_authentic(row)
        audited = db.session.scalars(
            select(AuditEntry.after).where(AuditEntry.action == "approve")
        ).all()
    assert sorted(entry["organisation"] for entry in audited) == [
        "Ministry AZ-MES",
        "Ministry RU-MCHS",
    ]


def test_an_organisation_approves_only_once(app, client, accounts, pending):
    number = pending.certificate["number"]
    assert approve(client, pending.az, number).status_code == 200
    error_of(approve(client, pending.az, number), 409, "conflict")
    colleague = approver(app, accounts, "AZ-MES", "Quliyev Samir")
    refused = error_of(approve(client, colleague, number), 409, "conflict")
    assert "already approved" in refused["message"]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(CertificateApproval.id))) == 1


def test_who_recorded_the_results_may_not_approve(app, client, accounts, pending):
    # The administrator of make_graduates recorded every result of this trainee.
    with app.app_context():
        admin = db.session.get(User, pending.admin["id"])
        admin.organisation_id = organisation_id(app, "AZ-MES")
        admin.position, admin.approver = "Deputy minister", True
        db.session.commit()
    refused = error_of(
        approve(client, pending.headers, pending.certificate["number"]), 403, "forbidden"
    )
    assert "recorded results" in refused["message"]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(CertificateApproval.id))) == 0


def test_only_approvers_of_issuing_organisations_approve(app, client, accounts, pending):
    number = pending.certificate["number"]
    plain = accounts.bearer(Role.INSTRUCTOR, organisation_id=organisation_id(app, "AZ-MES"))
    error_of(approve(client, plain, number), 403, "forbidden")
    error_of(approve(client, accounts.bearer(Role.TRAINEE), number), 403, "forbidden")
    error_of(approve(client, {}, number), 401, "unauthorized")
    error_of(approve(client, pending.az, "2021-99999"), 404, "not_found")


def test_refusal_revokes_with_the_reason(app, client, pending):
    number = pending.certificate["number"]
    url = f"/api/v1/certificates/{number}/refuse"
    error_of(client.post(url, headers=pending.ru, json={"reason": "  "}), 422, "validation_error")
    refused = client.post(url, headers=pending.ru, json={"reason": "Wrong personal number"})
    assert refused.status_code == 200, refused.text
    assert refused.json["status"] == "revoked"
    assert refused.json["revocation_reason"] == "Wrong personal number"
    checked = verify(client, pending.certificate["verification_code"]).json
    assert (checked["valid"], checked["status"]) == (False, "revoked")
    error_of(approve(client, pending.az, number), 409, "conflict")


def test_reissue_needs_new_approvals(app, client, pending):
    number = pending.certificate["number"]
    approve(client, pending.az, number)
    assert approve(client, pending.ru, number).json["status"] == "valid"
    response = client.post(f"/api/v1/certificates/{number}/reissue", headers=pending.headers)
    assert response.status_code == 201, response.text
    assert response.json["status"] == "pending_approval"
    assert response.json["approvals"] == []


def test_bulk_approval_of_a_course_and_the_waiting_list(app, client, accounts, monkeypatch):
    people = [("AZ-MES", "Əliyev Rauf", "Aliyev Rauf"), ("RU-MCHS", "Иванов Пётр", "Ivanov Petr")]
    setup = make_graduates(app, accounts, monkeypatch, people=people)
    approvals_needed(app)
    issued = client.post(f"/api/v1/courses/{setup.course_id}/certificates", headers=setup.headers)
    assert len(issued.json["issued"]) == 2
    az = approver(app, accounts, "AZ-MES", "Həsənov Elçin")
    waiting = client.get("/api/v1/approvals/pending", headers=az).json
    assert waiting["total"] == 2
    url = f"/api/v1/courses/{setup.course_id}/certificates/approve"
    approved = client.post(url, headers=az)
    assert approved.status_code == 200, approved.text
    assert [len(c["approvals"]) for c in approved.json["approved"]] == [1, 1]
    assert client.get("/api/v1/approvals/pending", headers=az).json["total"] == 0
    error_of(client.post(url, headers=az), 409, "conflict")


def test_certificates_signed_before_the_change_still_verify(app, client, accounts, monkeypatch):
    """A row as migration 0013 leaves it: new columns empty, the old signature kept."""
    setup = make_graduates(app, accounts, monkeypatch)
    number = issue(client, setup).json["number"]
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.number == number))
        row.holder_rank = row.holder_personal_number = row.holder_birth_date = None
        row.holder_organisation = row.texts = row.eod_level = None
        row.approvals_required = []
        # The signature exactly as the code before this change computed it.
        values = {name: getattr(row, name) for name in SIGNED_FIELDS}
        canonical = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
        key = app.config["CERTIFICATE_KEY"].encode()
        row.signature = hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
        db.session.commit()
        code = row.verification_code
    checked = verify(client, code).json
    assert (checked["valid"], checked["status"]) == (True, "valid")
    assert checked["holder_rank"] == "leytenant" and checked["birth_year"] == 1995


def test_a_pending_certificate_is_no_credential_until_approved(app, client, accounts, pending):
    app.config["CREDENTIAL_KEY"] = new_private_pem()
    number = pending.certificate["number"]
    browser = app.test_client()
    accounts.login(pending.admin, client=browser)
    assert browser.get(f"/certificates/{number}.jwt").status_code == 409
    assert approve(client, pending.az, number).status_code == 200
    assert browser.get(f"/certificates/{number}.jwt").status_code == 409
    assert approve(client, pending.ru, number).status_code == 200
    answer = browser.get(f"/certificates/{number}.jwt")
    assert answer.status_code == 200 and answer.mimetype == "application/jwt"


def test_a_field_sent_to_an_operation_without_a_body_is_refused_not_ignored(
    app, client, accounts, pending
):
    """An approver who believes they approve "for organisation 1" learns that no such
    choice exists: the approval is for their own organisation, and nothing is done."""
    number = pending.certificate["number"]
    url = f"/api/v1/certificates/{number}/approve"
    other = organisation_id(app, "RU-MCHS")
    answer = client.post(url, headers=pending.az, json={"organisation_id": other})
    assert error_of(answer, 422, "validation_error")["fields"] == {
        "organisation_id": ["Unknown field."]
    }
    with app.app_context():
        assert db.session.scalar(select(CertificateApproval.id)) is None
    sent_as_text = client.post(url, headers=pending.az, data="approve", content_type="text/plain")
    assert sent_as_text.status_code == 415
    # Both answers are in the document of the operation, as of every one with a body.
    spec = client.get("/api/v1/openapi.json").json
    documented = spec["paths"]["/api/v1/certificates/{number}/approve"]["post"]["responses"]
    assert {"415", "422"} <= set(documented)
    assert all(
        "415" in operation["responses"]
        for operations in spec["paths"].values()
        for operation in operations.values()
        if isinstance(operation, dict) and "requestBody" in operation
    )
    admin = accounts.bearer(Role.ADMIN)
    for path in (
        f"/api/v1/certificates/{number}/reissue",
        f"/api/v1/courses/{pending.course_id}/certificates",
        f"/api/v1/courses/{pending.course_id}/certificates/approve",
        f"/api/v1/enrolments/{pending.enrolments[-1]}/certificate",
    ):
        answer = client.post(path, headers=admin, json={"force": True})
        assert error_of(answer, 422, "validation_error")["fields"] == {"force": ["Unknown field."]}
    assert approve(client, pending.az, number).status_code == 200  # no body: as before
    empty = client.post(url, headers=pending.ru, json={})
    assert empty.status_code == 200 and empty.json["status"] == "valid"


def test_an_organisation_is_not_renamed_while_a_certificate_waits_for_its_approval(
    app, client, accounts, pending
):
    """The certificate names the organisations that approve it: renamed, the waiting
    certificate could never be approved, and a newcomer could take the old name."""
    admin = accounts.bearer(Role.ADMIN)
    ru = organisation_id(app, "RU-MCHS")
    with app.app_context():
        version = db.session.get(Organisation, ru).version
    url = f"/api/v1/organisations/{ru}"
    renamed = client.patch(url, headers=admin, json={"name": "EMERCOM", "version": version})
    assert error_of(renamed, 409, "conflict")["fields"]["name"] == [
        "1 certificate waits for this organisation's approval under its name: rename it "
        "once it is approved or refused."
    ]
    number = pending.certificate["number"]
    assert approve(client, pending.az, number).status_code == 200
    assert approve(client, pending.ru, number).status_code == 200
    renamed = client.patch(url, headers=admin, json={"name": "EMERCOM", "version": version})
    assert renamed.status_code == 200, renamed.text


def test_a_query_parameter_an_operation_does_not_take_is_refused_not_ignored(
    app, client, accounts, pending
):
    number = pending.certificate["number"]
    other = organisation_id(app, "RU-MCHS")
    answer = client.post(
        f"/api/v1/certificates/{number}/approve?organisation_id={other}", headers=pending.az
    )
    assert error_of(answer, 422, "validation_error")["fields"] == {
        "organisation_id": ["Unknown field."]
    }
    with app.app_context():
        assert db.session.scalar(select(CertificateApproval.id)) is None
    admin = accounts.bearer(Role.ADMIN)
    read = client.get(f"/api/v1/certificates/{number}?format=pdf", headers=admin)
    assert error_of(read, 422, "validation_error")["fields"] == {"format": ["Unknown field."]}
    assert client.get(f"/api/v1/certificates/{number}?format=pdf").status_code == 401  # who first
    assert client.get(f"/api/v1/certificates/{number}", headers=admin).status_code == 200
    assert client.get("/api/v1/openapi.json?x=1").status_code == 200  # not an operation


def test_one_person_moved_to_the_other_ministry_does_not_approve_for_both(
    app, client, accounts, pending
):
    """Four eyes are two people: an administrator changing an approver's organisation
    between two approvals made a certificate valid on one person's word."""
    number, code = pending.certificate["number"], pending.certificate["verification_code"]
    assert approve(client, pending.az, number).status_code == 200
    with app.app_context():
        person = db.session.scalar(select(User).where(User.full_name == "Həsənov Elçin"))
    moved = client.patch(
        f"/api/v1/users/{person.id}",
        json={"organisation_id": organisation_id(app, "RU-MCHS"), "version": person.version},
        headers=accounts.bearer(Role.ADMIN),
    )
    assert moved.status_code == 200, moved.text
    refused = error_of(approve(client, pending.az, number), 409, "conflict")
    assert refused["message"] == (
        "You approved this certificate for Ministry AZ-MES: another person approves it "
        "for Ministry RU-MCHS."
    )
    waiting = client.get("/api/v1/approvals/pending", headers=pending.az)
    assert waiting.status_code == 200 and waiting.json["total"] == 0  # nor listed for them
    assert verify(client, code).json["status"] == "pending_approval"
    assert approve(client, pending.ru, number).json["status"] == "valid"  # a second person


@pytest.mark.parametrize("second", ["approve", "refuse"])
def test_approving_or_refusing_after_a_key_rotation_keeps_the_verdict_true(
    app, client, pending, second
):
    """The signature is made with the current key and names it: after a rotation the old
    key id beside the new key's signature read "invalid" at a checkpoint."""
    number, code = pending.certificate["number"], pending.certificate["verification_code"]
    assert approve(client, pending.az, number).status_code == 200  # signed with the old key
    old_key = app.config["CERTIFICATE_KEY"]
    app.config["CERTIFICATE_KEY"] = "a-key-made-by-rotate-certificate-key-0123456789"
    app.config["CERTIFICATE_RETIRED_KEYS"] = [old_key]
    if second == "approve":
        answer = approve(client, pending.ru, number)
    else:
        url = f"/api/v1/certificates/{number}/refuse"
        answer = client.post(url, json={"reason": "Wrong holder"}, headers=pending.ru)
    assert answer.status_code == 200, answer.text
    checked = verify(client, code).json
    assert checked["status"] == {"approve": "valid", "refuse": "revoked"}[second], checked
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.number == number))
        assert row.key_id == key_id(app.config["CERTIFICATE_KEY"])
        assert is_authentic(row)


def drop_the_results_behind_the_apps_back(app) -> None:
    """The records changed in the database itself (by hand, or an older backup's rows)."""
    with app.app_context():
        db.session.execute(delete(ModuleResult))
        db.session.commit()


def test_an_approval_signs_the_records_as_they_stand(app, client, accounts, monkeypatch):
    """Issued, then the records stop earning it: neither a single nor a course approval
    makes it valid, and nothing of either is saved."""
    setup = make_graduates(app, accounts, monkeypatch)
    approvals_needed(app)
    number = issue(client, setup).json["number"]
    az = approver(app, accounts, "AZ-MES", "Həsənov Elçin")
    drop_the_results_behind_the_apps_back(app)
    refused = error_of(approve(client, az, number), 409, "conflict")
    assert "no longer earn certificate" in refused["message"]
    assert {m["code"] for m in refused["missing"]} == {"module_not_passed"}
    url = f"/api/v1/courses/{setup.course_id}/certificates/approve"
    error_of(client.post(url, headers=az), 409, "conflict")
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.number == number))
        assert row.status == "pending_approval" and row.approvals == []
    # Refusing it is still possible, and is what the message asks for.
    body = {"reason": "Attendance below the programme's threshold."}
    refusal = client.post(f"/api/v1/certificates/{number}/refuse", headers=az, json=body)
    assert refusal.status_code == 200, refusal.text


def test_a_refusal_names_the_ministry_in_the_readers_language(app, client, accounts, pending):
    """A whole sentence in Azerbaijani, the ministry's name in it too (not the English)."""
    with app.app_context():
        ministry = db.session.scalar(select(Organisation).where(Organisation.code == "AZ-MES"))
        ministry.name_i18n = {"az": "Fövqəladə Hallar Nazirliyi"}
        db.session.commit()
    number = pending.certificate["number"]
    assert approve(client, pending.az, number).status_code == 200
    colleague = approver(app, accounts, "AZ-MES", "Quliyev Samir")
    headers = {**colleague, "Accept-Language": "az"}
    refused = error_of(approve(client, headers, number), 409, "conflict")
    assert refused["message"] == "Fövqəladə Hallar Nazirliyi bu sertifikatı artıq təsdiq edib."
