"""Chromium: each ministry's approver approves, then a checkpoint verifies on a phone."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from extensions import db
from models import Certificate, Programme
from tests.scenarios.browser import sign_in
from tests.scenarios.certificate_approvals import organisation_id
from tests.scenarios.certificates_api import make_graduates
from tests.scenarios.i18n_pages import translated

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PEOPLE = [("AZ-MES", "Əliyev Rauf", "Aliyev Rauf"), ("RU-MCHS", "Иванов Пётр", "Ivanov Petr")]


def make_approver(app, accounts, code: str, name: str) -> dict:
    return accounts.make(
        "instructor",
        full_name=name,
        organisation_id=organisation_id(app, code),
        position=f"Head of demining, {code}",
        rank="colonel",
        approver=True,
    )


@pytest.fixture
def issued(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE)
    with app.app_context():
        for programme in db.session.scalars(select(Programme)):
            programme.certificate_approvals = "each_organisation"
        db.session.commit()
    answer = client.post(f"/api/v1/courses/{setup.course_id}/certificates", headers=setup.headers)
    setup.certificates = {c["number"]: c["verification_code"] for c in answer.json["issued"]}
    setup.az = make_approver(app, accounts, "AZ-MES", "Həsənov Elçin")
    setup.ru = make_approver(app, accounts, "RU-MCHS", "Петров Иван")
    return setup


def test_both_ministries_approve_and_a_checkpoint_verifies(app, browser, live_server, issued):
    office = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, has_touch=True
    )
    page = office.new_page()
    # The Azerbaijani ministry's approver approves the whole course at once.
    sign_in(page, issued.az)
    # The home says what waits for this approver, and leads there.
    expect(page.get_by_test_id("for-my-approval")).to_contain_text(
        "2 certificates wait for your approval."
    )
    page.get_by_role("link", name="Open the certificates waiting for my approval").click()
    expect(page.get_by_role("row", name=re.compile("2021-00001"))).to_contain_text("Əliyev Rauf")
    page.get_by_label(re.compile("I have read the certificates of this course")).check()
    page.get_by_role("button", name="Approve all 2 certificates").click()
    expect(page.get_by_role("alert")).to_contain_text("2 certificates approved.")
    expect(page.get_by_test_id("nothing-waiting")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    # The outbox script empties the phone's kept pages first: wait for the sign-out to land.
    expect(page).to_have_url(re.compile(r"/login"))

    # The Russian ministry's approver approves only the first one.
    sign_in(page, issued.ru)
    page.get_by_role("link", name="Waiting for my approval", exact=True).click()
    waiting = page.get_by_test_id("waiting-2021-00001")
    expect(waiting).to_contain_text("Həsənov Elçin")  # who has approved already
    waiting.get_by_role("button", name="Approve 2021-00001").click()
    expect(page.get_by_role("alert")).to_contain_text("Certificate 2021-00001 is approved.")
    expect(page.get_by_test_id("waiting-2021-00002")).to_be_visible()
    office.close()

    with app.app_context():
        statuses = dict(db.session.execute(select(Certificate.number, Certificate.status)).all())
    assert statuses == {"2021-00001": "valid", "2021-00002": "pending_approval"}

    # A checkpoint officer, no account, a phone in Russian.
    checkpoint = browser.new_context(
        base_url=live_server, viewport={"width": 360, "height": 740}, locale="ru-RU"
    )
    phone = checkpoint.new_page()
    phone.goto(f"/verify/{issued.certificates['2021-00001']}")
    expect(phone.get_by_test_id("verdict")).to_have_text("ДЕЙСТВИТЕЛЬНО")
    approvals = phone.get_by_test_id("approvals")
    expect(approvals).to_contain_text("Həsənov Elçin")
    expect(approvals).to_contain_text("Петров Иван")
    expect(phone.get_by_test_id("holder")).to_contain_text("Əliyev Rauf")
    expect(phone.get_by_test_id("personal-number")).to_contain_text("*")
    expect(phone.get_by_text("Действительно до")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.goto(f"/verify/{issued.certificates['2021-00002']}")
    expect(phone.get_by_test_id("verdict")).to_have_text("НЕДЕЙСТВИТЕЛЬНО")
    expect(phone.get_by_test_id("reason")).to_contain_text("Ministry RU-MCHS")
    expect(phone.get_by_text("Действительно до")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The officer reads Azerbaijani better: one tap, the same page, and still no cookie.
    phone.get_by_test_id("language-switcher").get_by_role("link", name="Azərbaycanca").click()
    expect(phone.locator("html")).to_have_attribute("lang", "az")
    expect(phone.get_by_test_id("verdict")).to_have_text(translated("az", "NOT VALID"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert checkpoint.cookies() == []  # the checkpoint's visits are kept nowhere
    checkpoint.close()
