"""Chromium: from the roster, an administrator fills in the template and enrols a whole file."""

import io
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from models import Role
from tests.factories import make_course, make_organisation, make_programme
from tests.scenarios.browser import sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

ROWS = [
    "AZ-FHN,AZ-101,leytenant,Əli Məmmədov,,1990-05-01,ali@example.org,2030-01-01\n",
    "RU-MCHS,RU-201,лейтенант,Алексей Смирнов,,1994-03-02,,2030-01-01\n",
]


@pytest.fixture
def course_id(app):
    make_organisation(app, code="AZ-FHN")
    make_organisation(app, code="RU-MCHS", country="RU", language="ru")
    return make_course(app, make_programme(app), start=date(2029, 3, 5), holidays=())


def test_template_filled_in_and_imported_from_the_roster(app, page, accounts, course_id, tmp_path):
    sign_in(page, accounts.make(Role.ADMIN))
    page.goto(f"/courses/{course_id}/roster")
    page.get_by_role("link", name="Import a file of trainees and enrol them all").click()
    course_field = page.get_by_label("Also enrol every imported trainee in this course")
    expect(course_field).to_have_value(str(course_id))

    with page.expect_download() as download:
        page.get_by_role("link", name="Template (CSV)").click()
    template = download.value.path().read_text(encoding="utf-8-sig")
    lines = template.splitlines()
    assert lines[0].startswith("organisation_code,personal_number,rank,full_name")
    assert lines[1].startswith("# Required or optional:,required,required,required,optional")
    assert "# AZ-FHN = Ministry AZ-FHN" in template and "# RU-MCHS = Ministry RU-MCHS" in template
    assert "YYYY-MM-DD" in template

    filled = tmp_path / "trainees.csv"
    filled.write_text(template + "".join(ROWS), encoding="utf-8")  # the notes stay in
    page.get_by_label("CSV or XLSX file").set_input_files(filled)
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("alert")).to_have_text(
        "2 trainees imported from trainees.csv. 2 trainees enrolled in AGH-1."
    )
    roster = page.get_by_test_id("roster")
    expect(roster).to_contain_text("Əli Məmmədov")
    expect(roster).to_contain_text("Алексей Смирнов")


def test_xlsx_template_lists_columns_and_organisations(app, client, accounts, course_id):
    accounts.login_as(Role.ADMIN)
    response = client.get("/trainees/import/template.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    trainees, columns, organisations = workbook.worksheets
    assert [cell.value for cell in trainees[1]][:2] == ["organisation_code", "personal_number"]
    assert trainees.max_row == 1  # nothing to delete before filling it in
    help_rows = {row[0]: row[1:] for row in columns.iter_rows(min_row=2, values_only=True)}
    assert help_rows["email"][0] == "optional"
    assert help_rows["date_of_birth"] == ("required", "A date, YYYY-MM-DD.")
    codes = [row[0] for row in organisations.iter_rows(min_row=2, values_only=True)]
    assert codes == ["AZ-FHN", "RU-MCHS"]
    instructor = app.test_client()
    accounts.login(accounts.make(Role.INSTRUCTOR), client=instructor)
    assert instructor.get("/trainees/import/template.csv").status_code == 403
