"""Chromium on a phone: an instructor takes today's attendance in a few taps."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import freeze
from tests.scenarios.attendance_api import TODAY, make_setup, stored
from tests.scenarios.attendance_pages import save
from tests.scenarios.browser import fits_the_screen, sign_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

NAMES = [
    ("Əliyev Rauf", "Aliyev Rauf"),
    ("Babayev Elçin", "Babayev Elchin"),
    ("Orlov İvan", "Orlov Ivan"),
]


@pytest.fixture
def phone_390(browser, live_server):
    """A 390 x 844 touch screen (a common phone), signed in as nobody yet."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_instructor_marks_an_absence_and_a_late_arrival_on_a_phone(
    app, phone_390, accounts, monkeypatch
):
    freeze(monkeypatch, TODAY)  # the live server runs in this process: it sees the patch
    setup = make_setup(app, accounts, names=NAMES)
    aliyev, babayev, orlov = setup.trainees
    # Yesterday Babayev was absent, so today's late arrival still leaves him below 100 %.
    yesterday = {aliyev: "present", babayev: "absent", orlov: "present"}
    save(app, setup.id, setup.instructor, date(2021, 1, 12), yesterday)
    page = phone_390

    sign_in(page, setup.instructor)
    page.goto("/instructor")
    expect(page.get_by_test_id("today-status")).to_have_text(
        "Today's attendance is not recorded yet."
    )
    page.get_by_role("link", name="Take today's attendance").tap()
    expect(page).to_have_url(re.compile(rf"/courses/{setup.id}/attendance/2021-01-13$"))
    assert fits_the_screen(page)

    rows = page.get_by_test_id("sheet-row")
    expect(rows).to_have_count(3)
    for name, _latin in NAMES:  # everyone present until told otherwise
        group = page.get_by_role("radiogroup", name=f"Attendance of {name}")
        expect(group.get_by_role("radio", name="Present")).to_be_checked()

    absent = page.get_by_role("radiogroup", name="Attendance of Əliyev Rauf")
    absent.locator("label", has_text="Absent").tap()
    late = page.get_by_role("radiogroup", name="Attendance of Babayev Elçin")
    late.locator("label", has_text="Late").tap()
    expect(absent.get_by_role("radio", name="Absent")).to_be_checked()
    expect(late.get_by_role("radio", name="Late")).to_be_checked()
    box = absent.locator("label", has_text="Absent").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb can hit it

    page.get_by_role("button", name="Save the sheet (3 trainees)").tap()
    expect(page.get_by_role("alert")).to_contain_text("Attendance for 2021-01-13 is saved.")
    expect(page).to_have_url(re.compile(rf"/courses/{setup.id}/attendance#day-"))

    aliyev_row = page.locator('tr[data-trainee="Aliyev Rauf"]')
    expect(aliyev_row).to_contain_text("✗")
    expect(aliyev_row.get_by_test_id("rate")).to_have_text("50.0")
    expect(aliyev_row).to_have_class(re.compile(r"\bbelow-threshold\b"))
    babayev_row = page.locator('tr[data-trainee="Babayev Elchin"]')
    expect(babayev_row.locator("td.status-late")).to_have_text("L")
    expect(babayev_row.get_by_test_id("rate")).to_have_text("50.0")
    orlov_row = page.locator('tr[data-trainee="Orlov Ivan"]')
    expect(orlov_row.get_by_test_id("rate")).to_have_text("100.0")
    expect(orlov_row).not_to_have_class(re.compile(r"\bbelow-threshold\b"))

    assert stored(app, setup.id, TODAY) == {
        aliyev: ("absent", ""),
        babayev: ("late", ""),
        orlov: ("present", ""),
    }
    page.goto("/instructor")
    expect(page.get_by_test_id("today-status")).to_contain_text("Recorded by Rəşad Quliyev at")
