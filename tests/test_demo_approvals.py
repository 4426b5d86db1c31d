"""The demo: both ministries' approvers approved the 2021 certificates but one."""

from collections import Counter

from sqlalchemy import select

from extensions import db
from models import Certificate, Course, Enrolment
from trainees.certificates.issuing import is_authentic


def test_demo_certificates_are_approved_by_both_ministries_but_one(app, runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "approver@demo.example.org" in result.output
    assert "approver.ru@demo.example.org" in result.output
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.code == "AGH-2021-01"))
        certificates = db.session.scalars(
            select(Certificate)
            .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
            .where(Enrolment.course_id == course.id)
        ).all()
        statuses = Counter(certificate.status for certificate in certificates)
        assert statuses["pending_approval"] == 1 and statuses["valid"] >= 10
        for certificate in certificates:
            assert is_authentic(certificate)
            approved = sorted(approval.name for approval in certificate.approvals)
            if certificate.status == "valid":
                assert approved == ["Elçin Həsənov", "Игорь Лебедев"]
                assert certificate.texts["course_title"]["ru"].startswith("Совместный курс")
            if certificate.status == "pending_approval":
                assert approved == []
                code = certificate.verification_code
    checked = client.get(f"/api/v1/verify/{code}").json
    assert (checked["valid"], checked["status"]) == (False, "pending_approval")
    token = client.post(
        "/api/v1/tokens",
        json={"email": "approver.ru@demo.example.org", "password": "demo-approver-password"},
    ).json["token"]
    waiting = client.get("/api/v1/approvals/pending", headers={"Authorization": f"Bearer {token}"})
    assert waiting.json["total"] == 1
