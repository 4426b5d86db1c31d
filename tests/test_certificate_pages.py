"""Certificate pages: course tab, forms, public verification, files, dashboard, refresher, CLI."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from extensions import db
from models import Enrolment
from models.account import Role
from models.certificate import Certificate
from tests.conftest import post_form
from tests.scenarios.certificate_pages import graduates_signed_in
from tests.scenarios.certificates_api import (
    PEOPLE,
    REASONS,
    freeze,
    issue,
    make_graduates,
    rows,
)


class Table(HTMLParser):
    """The rows of the table with this data-testid, each a list of its cells' text."""

    def __init__(self, testid: str):
        super().__init__()
        self.testid, self.inside, self.rows, self.cell = testid, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("data-testid") == self.testid:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data + " ")


def table(html: str, testid: str) -> list[list[str]]:
    parser = Table(testid)
    parser.feed(html)
    return parser.rows[1:]  # without the header


def verdict(html: str) -> str:
    return re.search(r'data-testid="verdict">([^<]*)<', html).group(1).strip()


@pytest.fixture
def setup(app, client, accounts, monkeypatch):
    """Two eligible trainees and one who is not; the administrator signed in."""
    return graduates_signed_in(app, accounts, monkeypatch)


def test_tab_says_who_is_eligible_and_issues_them_all(app, client, setup):
    page = client.get(setup.tab)
    assert page.status_code == 200
    assert "Issue all 2 eligible certificates" in page.text
    reasons = " ".join(message for _, message in REASONS)
    assert table(page.text, "eligibility") == [  # sorted by the Latin name
        ["Əliyev Rauf Aliyev Rauf", "yes", ""],
        ["Иванов Пётр Ivanov Petr", "yes", ""],
        ["Xəlilov Orxan Khalilov Orkhan", "no", reasons],
    ]
    response = post_form(client, f"{setup.tab}/issue", {}, form_page=setup.tab)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "2 certificates issued. 1 trainee is not eligible." in page.text
    issued = table(page.text, "issued")
    assert [row[:3] for row in issued] == [
        ["2021-00001", "Əliyev Rauf", "valid"],
        ["2021-00002", "Иванов Пётр", "valid"],
    ]
    assert [row[0] for row in table(page.text, "eligibility")] == ["Xəlilov Orxan Khalilov Orkhan"]
    assert 'href="/certificates/2021-00001.pdf"' in page.text
    assert f'href="/courses/{setup.course_id}/certificates.pdf"' in page.text
    assert [(c.number, c.enrolment_id) for c in rows(app)] == [
        ("2021-00001", setup.enrolments[0]),
        ("2021-00002", setup.enrolments[1]),
    ]


def test_issue_without_the_form_token_changes_nothing(app, client, setup):
    response = client.post(f"{setup.tab}/issue", data={})
    assert response.status_code == 400
    assert rows(app) == []


def test_tab_is_for_administrators_only(client, accounts, setup):
    for role in (Role.INSTRUCTOR, Role.TRAINEE):
        other = client.application.test_client()
        accounts.login(accounts.make(role), client=other)
        assert other.get(setup.tab).status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.get(setup.tab).headers["Location"].startswith("/login")


def test_revoke_and_reissue_through_the_tab(app, client, setup):
    for n in range(2):
        issue(client, setup, n)
    revoke_url = "/certificates/2021-00001/revoke"
    refused = post_form(client, revoke_url, {"reason": "  ", "confirm": "yes"}, form_page=setup.tab)
    assert "Give the reason for the revocation." in client.get(refused.headers["Location"]).text
    assert rows(app)[0].status == "valid"
    done = post_form(
        client, revoke_url, {"reason": "Forged papers", "confirm": "yes"}, form_page=setup.tab
    )
    assert "Certificate 2021-00001 is revoked." in client.get(done.headers["Location"]).text
    reissued = post_form(
        client, "/certificates/2021-00002/reissue", {"confirm": "yes"}, form_page=setup.tab
    )
    page = client.get(reissued.headers["Location"])
    assert "Certificate 2021-00002 is replaced by 2021-00003." in page.text
    assert [row[:3] for row in table(page.text, "issued")] == [
        ["2021-00001", "Əliyev Rauf", "revoked: Forged papers"],
        ["2021-00002", "Иванов Пётр", "superseded"],
        ["2021-00003", "Иванов Пётр", "valid"],
    ]
    assert [(c.status, c.revocation_reason) for c in rows(app)] == [
        ("revoked", "Forged papers"),
        ("superseded", None),
        ("valid", None),
    ]
    assert "Revoke 2021-00003" in page.text and "Revoke 2021-00001" not in page.text


def anonymous_verify(app, code):
    return app.test_client().get(f"/verify/{code}")


def test_verify_page_says_each_status_in_large_words(app, client, setup, monkeypatch):
    codes = [issue(client, setup, n).json["verification_code"] for n in range(2)]
    page = anonymous_verify(app, codes[0])
    assert page.status_code == 200 and verdict(page.text) == "VALID"
    assert "display-5" in page.text and "Əliyev Rauf" in page.text and "2021-00001" in page.text
    with app.app_context():
        trainee = db.session.get(Enrolment, setup.enrolments[0]).trainee
        personal = [trainee.personal_number, trainee.date_of_birth.isoformat(), "17 May 1995"]
    assert not [word for word in personal if word in page.text]
    assert "Sign out" not in page.text  # nobody is signed in
    headers = setup.headers
    client.post("/api/v1/certificates/2021-00001/revoke", headers=headers, json={"reason": "x"})
    assert verdict(anonymous_verify(app, codes[0]).text) == "REVOKED"
    client.post("/api/v1/certificates/2021-00002/reissue", headers=headers)
    assert verdict(anonymous_verify(app, codes[1]).text) == "SUPERSEDED"
    new_code = rows(app)[2].verification_code
    assert verdict(anonymous_verify(app, new_code).text) == "VALID"
    freeze(monkeypatch, date(2024, 1, 19))
    expired = anonymous_verify(app, new_code)
    assert verdict(expired.text) == "EXPIRED" and "a refresher course is due" in expired.text


def test_verify_page_of_an_unknown_code_is_404(app, setup):
    page = anonymous_verify(app, "NOSUCHCODE000000")
    assert page.status_code == 404
    assert "UNKNOWN CERTIFICATE" in page.text


def test_certificate_file_for_the_holder_and_administrators(app, client, accounts, setup):
    number = issue(client, setup).json["number"]
    url = f"/certificates/{number}.pdf"
    assert client.get(url).status_code == 200  # the administrator
    holder = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    answers = {}
    for name, account in [
        ("holder", holder),
        ("classmate", accounts.make(Role.TRAINEE, trainee_id=setup.trainees[1])),
        ("instructor", accounts.make(Role.INSTRUCTOR)),
    ]:
        own = app.test_client()
        accounts.login(account, client=own)
        answers[name] = own.get(url)
    assert answers["holder"].status_code == 200 and answers["holder"].data[:4] == b"%PDF"
    assert (answers["classmate"].status_code, answers["instructor"].status_code) == (403, 403)
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    bearer = {"Authorization": f"Bearer {accounts.token(holder)}"}
    by_token = app.test_client().get(url, headers=bearer)
    assert by_token.status_code == 200 and by_token.mimetype == "application/pdf"


def test_dashboard_offers_the_download_once_issued(app, client, accounts, setup):
    holder = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[1])
    own = app.test_client()
    accounts.login(holder, client=own)
    before = own.get("/me").text
    assert "Every condition of the certificate is met." in before
    assert "certificate-download" not in before
    issue(client, setup, 1)
    after = own.get("/me").text
    assert "Certificate 2021-00001, valid until" in after
    assert re.search(
        r'href="/certificates/2021-00001\.pdf" data-testid="certificate-download"', after
    )


def test_refresher_page_lists_certificates_expiring_within_90_days(
    app, client, accounts, setup, monkeypatch
):
    for n in range(2):
        issue(client, setup, n)
    client.post(
        "/api/v1/certificates/2021-00002/revoke", headers=setup.headers, json={"reason": "x"}
    )
    freeze(monkeypatch, date(2023, 10, 19))  # 91 days before 2024-01-18
    accounts.login(setup.admin)  # years later: the earlier session is long over
    assert "No certificate is due." in client.get("/certificates/expiring").text
    freeze(monkeypatch, date(2023, 10, 20))  # 90 days before
    accounts.login(setup.admin)  # a day later: idle sessions end after 30 minutes
    page = client.get("/certificates/expiring")
    assert "2021-00001" in page.text and "Əliyev Rauf" in page.text
    assert "2021-00002" not in page.text  # revoked: no refresher for it
    csv = client.get("/certificates/expiring.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines == [
        "Number,Holder,Holder (Latin),Course,Qualification,Expires on",
        "2021-00001,Əliyev Rauf,Aliyev Rauf,Course CRS-1,EOD Level 1,2024-01-18",
    ]


def test_a_certificate_renewed_by_a_refresher_course_is_no_longer_due(
    app, client, accounts, setup, monkeypatch
):
    issue(client, setup, 0)  # 2021-00001, Əliyev Rauf, valid until 2024-01-18
    # Almost three years on, he takes a refresher: its own programme, the same qualification.
    refresher = make_graduates(
        app,
        accounts,
        monkeypatch,
        people=PEOPLE[:1],
        start=date(2023, 10, 2),
        admin=setup.admin,
        programme="EOD-1-R",
        code="CRS-R",
        trainees=setup.trainees[:1],
    )
    freeze(monkeypatch, date(2023, 10, 20))
    accounts.login(setup.admin)
    assert "2021-00001" in client.get("/certificates/expiring").text  # due, not yet renewed
    assert "2021-00001" in client.get("/admin").text.split("certificates-expiring")[1]

    token = {"Authorization": f"Bearer {accounts.token(setup.admin)}"}
    renewal = f"/api/v1/enrolments/{refresher.enrolments[0]}/certificate"
    assert client.post(renewal, headers=token).status_code == 201
    assert "2021-00001" not in client.get("/certificates/expiring").text
    assert "2021-00001" not in client.get("/certificates/expiring.csv").text
    assert "2021-00001" not in client.get("/admin").text.split("certificates-expiring")[1]


def test_refresher_page_shows_the_list_a_page_at_a_time(app, client, accounts, setup, monkeypatch):
    for n in range(2):
        issue(client, setup, n)
    monkeypatch.setattr("trainees.views.certificates.EXPIRING_PER_PAGE", 1)
    freeze(monkeypatch, date(2024, 6, 1))  # both expired, both still valid certificates
    accounts.login(setup.admin)
    first = client.get("/certificates/expiring").text
    second = client.get("/certificates/expiring?page=2").text
    assert ("2021-00001" in first, "2021-00002" in first) == (True, False)
    assert ("2021-00001" in second, "2021-00002" in second) == (False, True)
    assert 'href="/certificates/expiring?page=2"' in first
    csv = client.get("/certificates/expiring.csv").data.decode("utf-8-sig")
    assert "2021-00001" in csv and "2021-00002" in csv  # the file holds the whole list


def test_cli_issues_and_prints_the_numbers(app, runner, setup):
    result = runner.invoke(args=["issue-certificates", "--course", "CRS-1"])
    assert result.exit_code == 0, result.output
    assert "Issued 2021-00001  Aliyev Rauf" in result.output
    assert "Issued 2021-00002  Ivanov Petr" in result.output
    assert f"Not eligible: enrolment {setup.enrolments[2]}: Module A" in result.output
    assert "2 issued, 1 not eligible." in result.output
    assert [c.number for c in rows(app)] == ["2021-00001", "2021-00002"]
    again = runner.invoke(args=["issue-certificates", "--course", "CRS-1"])
    assert "0 issued, 1 not eligible." in again.output and len(rows(app)) == 2


def test_cli_refuses_an_unknown_course(app, runner, setup):
    result = runner.invoke(args=["issue-certificates", "--course", "NOPE-9"])
    assert result.exit_code != 0
    assert "There is no course NOPE-9." in result.output
    with app.app_context():
        assert db.session.scalar(select(Certificate)) is None


def test_cli_uses_no_deprecated_click_api(app, runner, setup):
    result = runner.invoke(args=["issue-certificates", "--course", "CRS-1"])
    assert result.exit_code == 0, repr(result.exception)


def test_issue_all_does_not_recertify_a_revoked_trainee(app, client, setup):
    for n in range(2):
        issue(client, setup, n)
    client.post(
        "/api/v1/certificates/2021-00001/revoke", headers=setup.headers, json={"reason": "x"}
    )
    post_form(client, f"{setup.tab}/issue", {}, form_page=setup.tab)
    again = [c.number for c in rows(app) if c.enrolment_id == setup.enrolments[0]]
    assert again == ["2021-00001"]


def test_tab_says_a_withdrawn_trainee_is_not_eligible_and_why(app, client, accounts, setup):
    with app.app_context():
        db.session.execute(
            Enrolment.__table__.update()
            .where(Enrolment.id == setup.enrolments[1])
            .values(status="withdrawn", withdrawn_on=date(2021, 2, 1))
        )
        db.session.commit()
    page = client.get(setup.tab)
    assert "Issue 1 eligible certificate<" in page.text
    ivanov = next(row for row in table(page.text, "eligibility") if row[0].startswith("Иванов"))
    assert ivanov[1:] == ["no", "Withdrawn from the course on Feb 1, 2021."]
