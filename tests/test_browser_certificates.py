"""Chromium: an administrator issues a course's certificates and prints them in one PDF."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.scenarios.certificates_api import LATE, PEOPLE, make_graduates, rows

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def sign_in(page, account):
    page.goto("/login")
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Sign in").click()


def test_admin_issues_all_eligible_and_prints_the_course_pdf(app, page, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=[*PEOPLE, LATE])
    sign_in(page, setup.admin)
    page.goto(f"/courses/{setup.course_id}")
    page.get_by_role("link", name="Certificates", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/courses/{setup.course_id}/certificates$"))

    eligibility = page.get_by_test_id("eligibility")
    expect(eligibility.get_by_role("row")).to_have_count(4)
    expect(eligibility.get_by_role("row", name=re.compile("Xəlilov Orxan"))).to_contain_text(
        "Attendance is 60.0%, below the 90% required."
    )
    expect(page.get_by_test_id("issued")).to_contain_text("No certificate yet.")

    page.get_by_role("button", name="Issue all 2 eligible certificates").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "2 certificates issued. 1 trainee is not eligible."
    )
    issued = page.get_by_test_id("issued")
    expect(issued.get_by_role("link", name="2021-00001")).to_be_visible()
    expect(issued.get_by_role("link", name="2021-00002")).to_be_visible()
    expect(issued.get_by_role("row", name=re.compile("2021-00001"))).to_contain_text("Əliyev Rauf")
    expect(issued.get_by_role("row", name=re.compile("2021-00002"))).to_contain_text("Иванов Пётр")
    expect(eligibility.get_by_role("row")).to_have_count(2)  # the header and Xəlilov
    expect(
        page.get_by_role("button", name="Nobody is eligible for a new certificate")
    ).to_be_disabled()

    link = page.get_by_role("link", name="Print every valid certificate (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert [c.number for c in rows(app)] == ["2021-00001", "2021-00002"]
