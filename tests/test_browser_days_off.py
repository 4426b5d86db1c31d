"""Chromium: an administrator calls off a training day; the plan, grid and .ics show it."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import freeze
from tests.scenarios.attendance_api import TODAY, make_setup
from tests.scenarios.attendance_pages import save
from tests.scenarios.browser import sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_admin_cancels_a_day_and_makes_it_up(app, page, accounts, monkeypatch, client):
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts)
    admin = accounts.make()
    sign_in(page, admin)
    page.goto(f"/courses/{setup.id}/plan")
    expect(page.locator('td[data-date="2021-02-25"]')).to_have_count(0)
    page.get_by_role("link", name="Cancel a training day").click()
    page.get_by_label("Training day", exact=True).fill("2021-01-15")
    page.get_by_label("Reason (trainees and instructors see it)").fill("Storm over the range")
    page.get_by_label("Make it up").check()
    page.get_by_label("A cancelled day cannot be brought back").check()
    page.get_by_role("button", name="Cancel this day").click()

    expect(
        page.get_by_text(
            "The training day Jan 15, 2021 is cancelled and made up: the course now ends on "
            "Feb 25, 2021."
        )
    ).to_be_visible()
    cell = page.locator('td[data-date="2021-01-15"]')
    expect(cell).to_have_class(re.compile("plan-cancelled"))
    expect(cell).to_contain_text("cancelled")
    # The reason is said above the calendar (a phone's day is too narrow for it) and is the
    # day's tooltip.
    expect(page.get_by_test_id("cancelled-days")).to_contain_text("Storm over the range")
    expect(cell.get_by_title("Storm over the range")).to_have_text("cancelled")
    # Made up: the course now ends one training day later, with teaching on it.
    expect(page.locator('td[data-date="2021-02-25"]')).to_have_class(re.compile("plan-training"))
    expect(page.locator('td[data-date="2021-02-25"] .plan-module')).not_to_have_count(0)

    page.goto(f"/courses/{setup.id}/attendance")
    expect(page.get_by_test_id("cancelled-days")).to_contain_text("Storm over the range")
    expect(page.locator("#day-2021-01-15")).to_have_count(0)

    accounts.login(admin)
    ics = client.get(f"/courses/{setup.id}/calendar.ics").get_data(as_text=True)
    assert "DTSTART;VALUE=DATE:20210115" in ics
    assert "Cancelled: no training (Storm over the range)" in ics
    assert "STATUS:CANCELLED" in ics


def test_cancelling_a_day_already_recorded_says_why_next_to_the_date(
    app, page, accounts, monkeypatch
):
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts)
    save(
        app, setup.id, setup.instructor, date(2021, 1, 12), dict.fromkeys(setup.trainees, "present")
    )
    sign_in(page, accounts.make())
    page.goto(f"/courses/{setup.id}/days/cancel")
    page.get_by_label("Training day", exact=True).fill("2021-01-12")
    page.get_by_label("Reason (trainees and instructors see it)").fill("Storm")
    page.get_by_label("A cancelled day cannot be brought back").check()
    page.get_by_role("button", name="Cancel this day").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Attendance is already recorded for Jan 12, 2021"
    )
    page.get_by_label("Training day", exact=True).fill("2021-01-17")
    page.get_by_label("A cancelled day cannot be brought back").check()
    page.get_by_role("button", name="Cancel this day").click()
    expect(page.locator("#day-errors")).to_have_text(
        "Jan 17, 2021 is not a training day of this course."
    )
