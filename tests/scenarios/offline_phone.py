"""A phone at the range, for the browser tests of the outbox: the course, the phone's
browser profile (360 px, its clock the sheet's morning) and what an instructor does on it.

The fixtures of tests/test_browser_offline.py and tests/test_browser_outbox_edges.py
call `the_course` and `phone`; the server's clock is frozen on 2021-01-13.
"""

import re
from datetime import UTC, datetime

from playwright.sync_api import expect
from sqlalchemy import func, select

from extensions import db
from tests.factories import freeze
from tests.scenarios.attendance_api import TODAY, make_setup
from tests.scenarios.browser import open_menu

NAMES = [("Əliyev Rauf", "Aliyev Rauf"), ("Babayev Elçin", "Babayev Elchin")]
PHONE_TIME = datetime(2021, 1, 13, 7, 30, tzinfo=UTC)  # 11:30 in Baku, the sheet's day
SHEET = "/courses/{}/attendance/2021-01-13"


def the_course(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)  # the live server runs in this process: it sees the patch
    return make_setup(app, accounts, names=NAMES)


def phone(browser, live_server):
    """A phone's browser profile: every page opened in it shares cookies and storage."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    context.clock.set_fixed_time(PHONE_TIME)
    yield context
    context.close()


def new_page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def ready_for_the_range(page):
    """Open the home page online and wait until the worker has kept today's sheet."""
    page.goto("/instructor")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)") in (
        "activating",
        "activated",
    )


def mark(page, name, status):
    page.get_by_role("radiogroup", name=f"Attendance of {name}").locator(
        "label", has_text=status
    ).click()


def save_offline(context, page, course_id, marks):
    context.set_offline(True)
    response = page.goto(SHEET.format(course_id))
    assert response.from_service_worker  # the network is gone: the phone's copy
    for name, status in marks:
        mark(page, name, status)
    page.get_by_role("button", name=re.compile("Save the sheet")).click()


def sign_out(page):
    """On a phone the sign-out button is inside the collapsed menu.

    The waits are long: on a busy machine the menu's opening animation and the outbox's
    read of the phone's storage take seconds, and this is about what happens, not when.
    """
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        open_menu(page, timeout=45_000)
    button = page.get_by_role("button", name="Sign out")
    expect(button).to_be_visible(timeout=45_000)
    button.click(timeout=45_000)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))
