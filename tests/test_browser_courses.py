"""Chromium: an administrator schedules a course and reads its end date and plan."""

import re

import pytest
from playwright.sync_api import expect

from models.account import Role
from tests.factories import make_course, make_organisation, make_programme, module
from tests.scenarios.i18n_pages import speaks

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def sign_in(page, account):
    page.goto("/login")
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Sign in").click()


def test_admin_schedules_a_course_and_reads_its_end_date_and_plan(app, page, accounts):
    make_programme(
        app, modules=[module("SAFE", hours=16), module("DRILL", hours=24, kind="practical")]
    )
    make_organisation(app)
    accounts.make(Role.INSTRUCTOR, full_name="Rəşad Quliyev")
    sign_in(page, accounts.make(Role.ADMIN))
    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Code").fill("AGH-2021-01")
    page.get_by_label("Title").fill("Joint demining course, Aghdam")
    page.get_by_label("Start date").fill("2021-01-11")
    page.get_by_label("Location").fill("Aghdam region")
    page.get_by_label("Capacity (trainees)").fill("24")
    page.get_by_label("AZ-MES").fill("16")
    page.get_by_label("Rəşad Quliyev").check()
    page.get_by_label("Holidays (one date per line, YYYY-MM-DD)").fill("2021-01-20")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_have_text("Course AGH-2021-01 saved.")
    expect(page.get_by_test_id("end-date")).to_have_text("Feb 24, 2021")
    expect(page.get_by_test_id("training-days")).to_have_text("38")

    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page).to_have_url(re.compile(r"/plan$"))
    expect(page.locator('[data-date="2021-01-11"]')).to_contain_text("SAFE")
    expect(page.locator('[data-date="2021-01-13"]')).to_contain_text("DRILL")
    expect(page.locator('[data-date="2021-01-20"]')).to_contain_text("holiday")
    expect(page.locator('[data-date="2021-01-17"]')).to_contain_text("rest day")


def test_programme_form_adds_and_reorders_module_rows(app, page, accounts):
    sign_in(page, accounts.make(Role.ADMIN))
    page.goto("/programmes/new")
    page.get_by_label("Code", exact=True).first.fill("EOD-2")
    page.get_by_label("Title", exact=True).first.fill("Advanced clearance")
    page.get_by_label("Qualification awarded").fill("EOD Level 2")
    rows = page.locator("tr.module-row")
    expect(rows).to_have_count(2)
    page.get_by_role("button", name="Add a module row").click()
    expect(rows).to_have_count(3)
    for index, (code, hours) in enumerate([("FIRST", "8"), ("SECOND", "16"), ("THIRD", "8")]):
        rows.nth(index).locator("input[name$='-code']").fill(code)
        rows.nth(index).locator("input[name$='-title']").fill(f"Module {code}")
        rows.nth(index).locator("input[name$='-hours']").fill(hours)
        rows.nth(index).locator("input[name$='-pass_mark']").fill("70")
    rows.nth(2).get_by_role("button", name="Move up").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Programme EOD-2 saved.")
    codes = page.locator("table").first.locator("tbody tr td:nth-child(2)")
    expect(codes).to_have_text(["FIRST", "THIRD", "SECOND"])


def test_plan_on_a_phone_in_russian_keeps_codes_whole_and_days_readable(app, phone, accounts):
    """A seventh of 360 px: a six-letter code stays on one line; the words for a holiday
    and a rest day give way to the grey the line above explains, and stay for readers."""
    programme_id = make_programme(app, modules=[module("DETECT", hours=48), module("RECOG")])
    course_id = make_course(app, programme_id)
    admin = accounts.make(Role.ADMIN)
    speaks(app, admin, "ru")
    sign_in(phone, admin)
    phone.goto(f"/courses/{course_id}/plan")
    expect(phone.locator('[data-date="2021-01-11"]')).to_contain_text("DETECT")
    lines_of_codes = phone.locator(".plan-module").evaluate_all(
        """modules => modules.map(module => {
            const range = document.createRange();
            range.selectNodeContents(module.firstChild);  // the code, before its hours
            return range.getClientRects().length;
        })"""
    )
    assert lines_of_codes and set(lines_of_codes) == {1}
    holiday = phone.locator('[data-date="2021-01-20"] .plan-word')
    expect(holiday).to_have_text("праздничный день")
    assert holiday.evaluate("word => word.getBoundingClientRect().width") <= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
