"""Chromium: a trainee signs in and reads their progress and what is still missing."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from models.account import Role
from tests.factories import freeze
from tests.scenarios.progress import take
from tests.scenarios.results_api import make_setup
from tests.scenarios.results_pages import record

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TODAY = date(2021, 1, 12)  # day 2 of AGH-1 (2021-01-11 to 2021-02-24): T1 today, P1 next


def test_trainee_reads_progress_and_missing_items(app, page, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)  # the live server runs in this process: it sees the patch
    setup = make_setup(app, accounts, names=[("Əliyev Rauf", "Aliyev Rauf")])
    trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0], full_name="Əliyev Rauf")
    take(app, setup, date(2021, 1, 11), {setup.trainees[0]: "present"})
    take(app, setup, TODAY, {setup.trainees[0]: "late"})
    record(app, setup, "T1", {0: 92})
    record(app, setup, "F1", {0: False})

    page.goto("/login")
    page.get_by_label("E-mail").fill(trainee["email"])
    page.get_by_label("Password").fill(trainee["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.get_by_text("Welcome, Əliyev Rauf.")).to_be_visible()

    card = page.get_by_test_id("course-progress")
    expect(card.get_by_test_id("modules-passed")).to_have_text("1 / 3")
    expect(card.get_by_test_id("hours-passed")).to_have_text("16 / 40")
    bar = card.get_by_role("progressbar", name="Modules passed")
    expect(bar).to_have_attribute("aria-valuenow", "1")
    expect(bar).to_have_attribute("aria-valuemax", "3")
    width = bar.locator(".progress-bar").evaluate("bar => bar.style.width")
    assert width == "33.3%"
    expect(card.get_by_test_id("attendance-rate")).to_have_text("100.0%")
    expect(card).to_contain_text("Attendance (at least 90% required)")
    expect(card).to_contain_text("Today: T1 · Module T1")
    expect(card).to_contain_text("P1 · Module P1")

    expect(card.get_by_test_id("missing").get_by_role("listitem")).to_have_text(
        [
            "The course ends on 2021-02-24.",
            "Module P1 (Module P1) is not passed.",
            "36 of 38 training days have no attendance record.",
        ]
    )
    expect(card.get_by_test_id("certificate-download")).to_have_count(0)
