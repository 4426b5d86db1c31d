"""The "waiting for my approval" page: approve one, a whole course, refuse with a reason."""

import pytest
from sqlalchemy import select

from extensions import db
from models import Certificate, CertificateApproval, Role, User
from tests.conftest import csrf_token_in
from tests.scenarios.certificate_approvals import approvals_needed, organisation_id
from tests.scenarios.certificates_api import issue, make_graduates

PEOPLE = [("AZ-MES", "Əliyev Rauf", "Aliyev Rauf"), ("RU-MCHS", "Иванов Пётр", "Ivanov Petr")]


@pytest.fixture
def pending(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE)
    approvals_needed(app)
    setup.numbers = [issue(client, setup, n).json["number"] for n in range(2)]
    return setup


def sign_in_approver(app, accounts, code="AZ-MES", **values) -> dict:
    return accounts.login_as(
        Role.INSTRUCTOR,
        full_name="Həsənov Elçin",
        organisation_id=organisation_id(app, code),
        position="Head of demining",
        approver=True,
        **values,
    )


def statuses(app) -> dict:
    with app.app_context():
        return dict(db.session.execute(select(Certificate.number, Certificate.status)).all())


def test_the_page_lists_each_waiting_certificate_by_course(app, client, accounts, pending):
    sign_in_approver(app, accounts)
    page = client.get("/approvals")
    assert page.status_code == 200
    assert "Əliyev Rauf" in page.text and "Иванов Пётр" in page.text
    assert "Approve all 2 certificates" in page.text
    assert (
        "Waiting for Ministry AZ-MES" in page.text and "Waiting for Ministry RU-MCHS" in page.text
    )


def test_bulk_approval_approves_the_course_in_one_go(app, client, accounts, pending):
    sign_in_approver(app, accounts)
    page = client.get("/approvals")
    assert (
        "I have read the certificates of this course that wait for me, and sign them for "
        "Ministry AZ-MES." in page.text
    )
    token = csrf_token_in(page.text)
    url = f"/approvals/courses/{pending.course_id}"
    # Two signatures at one tap: not without the tick that says they were read.
    unticked = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert "Nothing was changed: tick the box to confirm first." in unticked.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(CertificateApproval.id))) == 0
    response = client.post(url, data={"csrf_token": token, "confirm": "yes"}, follow_redirects=True)
    assert "2 certificates approved." in response.text
    assert "No certificate is waiting for your approval." in response.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(CertificateApproval.id))) == 2


def test_refusal_needs_a_reason_and_revokes(app, client, accounts, pending):
    sign_in_approver(app, accounts, code="RU-MCHS")
    token = csrf_token_in(client.get("/approvals").text)
    url = f"/approvals/certificates/{pending.numbers[1]}/refuse"
    response = client.post(url, data={"csrf_token": token, "reason": " "}, follow_redirects=True)
    assert "Give the reason for the refusal." in response.text
    assert statuses(app)[pending.numbers[1]] == "pending_approval"
    response = client.post(
        url, data={"csrf_token": token, "reason": "Wrong rank"}, follow_redirects=True
    )
    assert f"Certificate {pending.numbers[1]} is refused and revoked." in response.text
    assert statuses(app)[pending.numbers[1]] == "revoked"


def test_without_the_form_token_nothing_is_approved(app, client, accounts, pending):
    sign_in_approver(app, accounts)
    client.post(f"/approvals/certificates/{pending.numbers[0]}", data={})
    client.post(f"/approvals/courses/{pending.course_id}", data={})
    with app.app_context():
        assert db.session.scalar(select(db.func.count(CertificateApproval.id))) == 0


def test_an_assessor_is_not_offered_their_own_trainees(app, client, accounts, pending):
    # The administrator of make_graduates recorded every result.
    accounts.login(pending.admin)
    with app.app_context():
        admin = db.session.get(User, pending.admin["id"])
        admin.organisation_id, admin.approver = organisation_id(app, "AZ-MES"), True
        admin.position = "Deputy minister"
        db.session.commit()
    page = client.get("/approvals")
    assert "No certificate is waiting for your approval." in page.text
    response = client.post(
        f"/approvals/certificates/{pending.numbers[0]}",
        data={"csrf_token": csrf_token_in(page.text)},
        follow_redirects=True,
    )
    assert "You recorded results of this trainee" in response.text
    assert statuses(app)[pending.numbers[0]] == "pending_approval"


def test_an_account_that_does_not_approve_is_told_so(app, client, accounts, pending):
    accounts.login_as(Role.INSTRUCTOR)
    page = client.get("/approvals")
    assert page.status_code == 200
    assert "Your account does not approve certificates." in page.text
    assert "Əliyev Rauf" not in page.text


def test_the_certificates_tab_shows_who_approved(app, client, accounts, pending):
    sign_in_approver(app, accounts)
    token = csrf_token_in(client.get("/approvals").text)
    client.post(f"/approvals/certificates/{pending.numbers[0]}", data={"csrf_token": token})
    client.post("/logout", data={"csrf_token": token})
    accounts.login(pending.admin)
    tab = client.get(f"/courses/{pending.course_id}/certificates").text
    assert "Ministry AZ-MES: Həsənov Elçin, Head of demining" in tab
    assert "Waiting for Ministry RU-MCHS" in tab and "waiting for approval" in tab


def test_a_revoked_certificate_waits_for_nobody_on_the_tab(app, client, accounts, pending):
    """Revoked before both ministries approved: "Waiting for ..." would say it still may
    become valid."""
    accounts.login(pending.admin)
    number = pending.numbers[0]
    revoked = client.post(
        f"/api/v1/certificates/{number}/revoke",
        headers=accounts.bearer(Role.ADMIN),
        json={"reason": "Medical clearance withdrawn"},
    )
    assert revoked.status_code == 200
    tab = client.get(f"/courses/{pending.course_id}/certificates").text
    row = next(row for row in tab.split("<tr") if f">{number}</a>" in row)
    assert "revoked: Medical clearance withdrawn" in row
    assert "Waiting for" not in row
    others = [row for row in tab.split("<tr") if "waiting for approval" in row]
    assert others and all("Waiting for Ministry AZ-MES" in row for row in others)


def test_an_approver_opens_the_draft_they_sign_and_no_other(app, client, accounts, pending):
    from tests.scenarios.documents import text_of

    number = pending.numbers[0]
    sign_in_approver(app, accounts)
    page = client.get("/approvals").text
    assert f'href="/certificates/{number}.pdf"' in page
    draft = client.get(f"/certificates/{number}.pdf")
    assert draft.status_code == 200 and draft.mimetype == "application/pdf"
    assert number in " ".join(text_of(draft.data).split())
    assert client.get(f"/api/v1/certificates/{number}").status_code == 401  # cookies: not API
    with app.app_context():
        # Not an approver, or of an organisation that does not issue it: refused.
        db.session.execute(
            Certificate.__table__.update()
            .where(Certificate.number == number)
            .values(approvals_required=["Ministry RU-MCHS"])
        )
        db.session.commit()
    assert client.get(f"/certificates/{number}.pdf").status_code == 403
    other = app.test_client()
    accounts.login(accounts.make(Role.INSTRUCTOR), client=other)
    assert other.get(f"/certificates/{pending.numbers[1]}.pdf").status_code == 403


def test_the_issuers_are_named_in_the_readers_language(app, client, accounts, pending):
    from models import Organisation

    account = sign_in_approver(app, accounts)
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).where(Organisation.code == "RU-MCHS"))
        organisation.name_i18n = {"ru": "МЧС России"}
        db.session.get(User, account["id"]).language = "ru"
        db.session.commit()
    page = client.get("/approvals").text
    assert "Ожидает утверждения: МЧС России" in page
    assert "Ministry RU-MCHS" not in page.split("<main")[1]


def test_a_checkpoint_reads_the_ministries_in_its_language(app, client, accounts, pending):
    """The verification page named the approving ministries in English under Russian words."""
    from models import Organisation

    approver = sign_in_approver(app, accounts)
    url = f"/api/v1/certificates/{pending.numbers[0]}/approve"
    bearer = {"Authorization": f"Bearer {accounts.token(approver)}"}
    assert client.post(url, headers=bearer).status_code == 200
    with app.app_context():
        for code, name in (("RU-MCHS", "МЧС России"), ("AZ-MES", "МЧС Азербайджана")):
            organisation = db.session.scalar(select(Organisation).where(Organisation.code == code))
            organisation.name_i18n = {"ru": name}
        db.session.commit()
        code = db.session.scalar(
            select(Certificate.verification_code).where(Certificate.number == pending.numbers[0])
        )
    page = app.test_client().get(f"/verify/{code}?lang=ru").text
    assert "МЧС России" in page  # still waiting for it, in Russian
    assert "<strong>МЧС Азербайджана</strong>" in page  # approved by it, in Russian
    assert "Ministry RU-MCHS" not in page  # (AZ-MES is the holder's, as printed at issue)
    english = app.test_client().get(f"/verify/{code}").text
    assert "<strong>Ministry AZ-MES</strong>" in english and "Ministry RU-MCHS" in english
