"""Chromium: an administrator imports trainees from a file, fixes it, enrols them on a course."""

import re

import pytest
from playwright.sync_api import expect

from models.account import Role
from tests.factories import make_course, make_organisation, make_programme

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

HEADER = (
    "organisation_code,personal_number,rank,full_name,full_name_latin,"
    "date_of_birth,email,medical_clearance_until\n"
)
GOOD_ROWS = [
    "AZ-FHN,AZ-101,leytenant,Əli Məmmədov,,1990-05-01,ali@example.org,2030-01-01\n",
    "AZ-FHN,AZ-102,kapitan,Rəşad Quliyev,,1988-11-20,,2030-01-01\n",
    "RU-MCHS,RU-201,лейтенант,Алексей Смирнов,,1994-03-02,,2030-01-01\n",
]


def sign_in(page, account):
    page.goto("/login")
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Sign in").click()


def upload(page, path):
    page.get_by_label("CSV or XLSX file").set_input_files(path)
    page.get_by_role("button", name="Import").click()


def enrol(page, query, name):
    page.get_by_label("Name (either spelling) or personal number").fill(query)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name=f"Enrol {name}").click()
    expect(page.get_by_role("alert")).to_have_text(f"{name} is enrolled.")


def test_admin_imports_fixes_the_file_and_enrols_the_trainees(app, page, accounts, tmp_path):
    make_organisation(app, code="AZ-FHN")
    make_organisation(app, code="RU-MCHS", country="RU", language="ru")
    course_id = make_course(app, make_programme(app), quotas={"AZ-FHN": 12, "RU-MCHS": 12})
    sign_in(page, accounts.make(Role.ADMIN))

    bad = tmp_path / "trainees.csv"
    bad.write_text(
        HEADER
        + GOOD_ROWS[0]
        + "AZ-FHN,AZ-102,kapitan,Rəşad Quliyev,,20.11.1988,,2030-01-01\n"
        + GOOD_ROWS[2].replace("RU-MCHS", "RU-MES"),
        encoding="utf-8",
    )
    page.goto("/trainees")
    page.get_by_role("link", name="Import a file").click()
    upload(page, bad)
    expect(page.get_by_test_id("import-report-summary")).to_have_text(
        "Nothing was imported: 2 problems in the file."
    )
    report = page.get_by_test_id("import-report").locator("tbody tr")
    expect(report.locator("td:first-child")).to_have_text(["3", "4"])
    expect(report.nth(0)).to_contain_text("date_of_birth")
    expect(report.nth(0)).to_contain_text("20.11.1988 is not a date (YYYY-MM-DD).")
    expect(report.nth(1)).to_contain_text("organisation_code")
    expect(report.nth(1)).to_contain_text("No organisation has the code RU-MES.")

    good = tmp_path / "trainees-fixed.csv"
    good.write_text(HEADER + "".join(GOOD_ROWS), encoding="utf-8")
    upload(page, good)
    expect(page).to_have_url(re.compile(r"/trainees$"))
    expect(page.get_by_role("alert")).to_have_text("3 trainees imported from trainees-fixed.csv.")
    expect(page.get_by_role("link", name="Алексей Смирнов")).to_be_visible()
    expect(page.get_by_text("Aleksei Smirnov")).to_be_visible()

    page.goto(f"/courses/{course_id}")
    page.get_by_role("link", name="Roster", exact=True).click()
    expect(page.get_by_text("Nobody is enrolled yet.")).to_be_visible()
    enrol(page, "AZ-10", "Əli Məmmədov")
    enrol(page, "quliyev", "Rəşad Quliyev")
    enrol(page, "Смирнов", "Алексей Смирнов")

    roster = page.get_by_test_id("roster").locator("tbody tr")
    expect(roster).to_have_count(3)
    expect(roster.locator("td:first-child")).to_have_text(
        ["Əli Məmmədov", "Rəşad Quliyev", "Алексей Смирнов"]  # by organisation, then Latin name
    )
    seats = page.get_by_test_id("seats").locator("tbody tr")
    expect(seats).to_have_text(
        [
            re.compile("AZ-FHN\\s*2\\s*12"),
            re.compile("RU-MCHS\\s*1\\s*12"),
            re.compile("Total\\s*3\\s*24 seats"),
        ]
    )


def test_admin_withdraws_a_trainee_with_a_reason(app, page, accounts, tmp_path):
    make_organisation(app, code="AZ-FHN")
    make_organisation(app, code="RU-MCHS", country="RU", language="ru")
    course_id = make_course(app, make_programme(app))
    sign_in(page, accounts.make(Role.ADMIN))
    file = tmp_path / "one.csv"
    file.write_text(HEADER + GOOD_ROWS[0], encoding="utf-8")
    page.goto("/trainees/import")
    upload(page, file)
    expect(page.get_by_role("alert")).to_contain_text("imported from one.csv")
    page.goto(f"/courses/{course_id}/roster")
    enrol(page, "Məmmədov", "Əli Məmmədov")

    row = page.get_by_test_id("roster").locator("tbody tr").first
    row.get_by_text("Withdraw", exact=True).click()
    withdraw = row.get_by_role("button", name="Withdraw Əli Məmmədov")
    withdraw.click()  # the reason is required: the browser keeps the form back
    assert row.get_by_label("Reason").evaluate("field => field.validity.valueMissing")
    expect(page.get_by_role("alert")).to_have_text("Əli Məmmədov is enrolled.")
    row.get_by_label("Reason").fill("Injured hand")
    row.get_by_label("Əli Məmmədov loses the seat").check()
    withdraw.click()
    expect(page.get_by_role("alert")).to_have_text("Əli Məmmədov is withdrawn.")
    row = page.get_by_test_id("roster").locator("tbody tr").first
    expect(row).to_contain_text("withdrawn")
    expect(row).to_contain_text("Injured hand")
    expect(row.get_by_role("button")).to_have_count(0)
