"""Chromium with no network: a sheet saved on the phone reaches the server once, later.

The browser context is taken offline with Playwright (`context.set_offline`), so the
page's `navigator.onLine` is false and its requests fail; the service worker serves
the pages it kept. The server's clock is frozen on 2021-01-13; the phone's clock is
set to the same morning, since the server checks the time the phone saved at.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from core.audit import AuditEntry
from extensions import db
from models import AttendanceOperation, AttendanceRecord
from models.account import Role
from tests import services
from tests.scenarios.attendance_api import TODAY, stored
from tests.scenarios.attendance_pages import save
from tests.scenarios.browser import sign_in
from tests.scenarios.offline_phone import (
    PHONE_TIME,
    SHEET,
    count,
    mark,
    new_page,
    phone,
    ready_for_the_range,
    save_offline,
    sign_out,
    the_course,
)

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def setup(app, accounts, monkeypatch):
    return the_course(app, accounts, monkeypatch)


@pytest.fixture
def phone_context(browser, live_server):
    yield from phone(browser, live_server)


def test_marks_saved_offline_reach_the_server_once_when_the_phone_is_back_online(
    app, phone_context, setup
):
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)

    marks = [("Əliyev Rauf", "Absent"), ("Babayev Elçin", "Late")]
    save_offline(phone_context, page, setup.id, marks)
    expect(page.get_by_test_id("outbox-saved")).to_have_text(
        "Saved on this phone, not yet sent (1 waiting)."
    )
    expect(page.get_by_test_id("outbox-status")).to_contain_text("(1 waiting)")
    assert stored(app, setup.id, TODAY) == {}
    page.close()  # the browser is closed on the range

    phone_context.set_offline(False)
    later = new_page(phone_context)
    later.goto("/instructor")  # the page load sends the outbox
    expect(later.locator("#outbox")).to_have_attribute("data-waiting", "0")
    assert stored(app, setup.id, TODAY) == {aliyev: ("absent", ""), babayev: ("late", "")}
    later.reload()
    expect(later.locator("#outbox")).to_have_attribute("data-waiting", "0")
    assert count(app, AttendanceRecord) == 2 and count(app, AttendanceOperation) == 1

    later.goto(f"/courses/{setup.id}/attendance")
    expect(later.locator('tr[data-trainee="Aliyev Rauf"]')).to_contain_text("✗")
    expect(later.locator('tr[data-trainee="Babayev Elchin"] td.status-late')).to_have_text("L")
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "offline_save"))
        operation = db.session.scalar(select(AttendanceOperation))
        assert entry.after["operation_id"] == operation.key
        assert entry.after["device_time"] == "2021-01-13T07:30:00+00:00"
        assert operation.device_time == PHONE_TIME
        # The page's seal of when it was opened went with the save: the window may count
        # from the phone's time (courses/offline.py).
        assert entry.after["opened_at"] is not None
        assert entry.after["window_from"] == "2021-01-13"


def test_the_same_entry_sent_from_two_tabs_at_once_is_stored_once(app, phone_context, setup):
    aliyev, babayev = setup.trainees
    first = new_page(phone_context)
    sign_in(first, setup.instructor)
    ready_for_the_range(first)
    save_offline(phone_context, first, setup.id, [("Əliyev Rauf", "Absent")])
    expect(first.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")
    second = new_page(phone_context)
    second.goto(SHEET.format(setup.id))  # served by the worker: still offline
    expect(second.get_by_test_id("outbox-status")).to_contain_text("(1 waiting)")

    phone_context.set_offline(False)
    # Both tabs hear `online` and send at once. A phone announces it; Chromium does not
    # when only its emulated network changes, so the test announces it as the phone would.
    for tab in (first, second):
        tab.evaluate("window.dispatchEvent(new Event('online'))")
    for tab in (first, second):
        expect(tab.locator("#outbox")).to_have_attribute("data-waiting", "0")
    assert stored(app, setup.id, TODAY) == {aliyev: ("absent", ""), babayev: ("present", "")}
    assert count(app, AttendanceOperation) == 1
    with app.app_context():
        synced = select(func.count()).where(AuditEntry.action == "offline_save")
        assert db.session.scalar(synced) == 1


@pytest.fixture
def paused_phone(browser, live_server, setup):
    """A phone (`page`) whose clock only the test moves, with one entry saved offline.

    Only `run_for` moves the page's timers, so what is sent when is decided by the test,
    not by how busy the machine is. `back_online_unannounced()` brings the network back
    without the `online` event (some browsers never fire it).
    """
    context = browser.new_context(
        base_url=live_server, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    context.clock.install(time=PHONE_TIME)
    page = new_page(context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    save_offline(context, page, setup.id, [("Əliyev Rauf", "Absent")])
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")
    page.clock.pause_at(PHONE_TIME + timedelta(minutes=1))

    def back_online_unannounced():
        page.evaluate("window.addEventListener('online', e => e.stopImmediatePropagation(), true)")
        context.set_offline(False)

    yield SimpleNamespace(page=page, back_online_unannounced=back_online_unannounced)
    context.close()


def test_the_phone_tries_again_by_itself_when_the_network_comes_back_unannounced(
    app, paused_phone, setup
):
    """No `online` event, no reload, no click: the waiting entry goes on a later try."""
    aliyev, babayev = setup.trainees
    page = paused_phone.page
    page.clock.run_for(10 * 60_000)  # ten minutes with no network: nothing to try
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "1")
    paused_phone.back_online_unannounced()
    page.wait_for_timeout(1_000)
    assert stored(app, setup.id, TODAY) == {}  # nothing announced, no try yet
    page.clock.run_for(31_000)  # the next try
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    assert stored(app, setup.id, TODAY) == {aliyev: ("absent", ""), babayev: ("present", "")}


def test_the_phones_own_tries_back_off_and_stop(paused_phone):
    """A server that answers but keeps failing is asked five times in a quarter of an hour,
    then left: each answered try keeps the session alive. None says "Sending…" (a screen
    reader would read each out)."""
    page, tries = paused_phone.page, []
    page.context.route(
        "**/outbox", lambda route: (tries.append(1), route.fulfill(status=503, body="busy"))
    )
    paused_phone.back_online_unannounced()
    status = page.get_by_test_id("outbox-status")
    for minutes in (0.5, 1, 2, 4, 8):  # the five tries, each after the one before
        page.clock.run_for(int(minutes * 60_000) + 1_000)
        expect(page.locator("#outbox")).not_to_have_attribute("data-sending", "true")
        expect(status).to_contain_text("(1 waiting)")  # never "Sending…" on its own
    assert len(tries) == 5
    page.clock.run_for(60 * 60_000)  # an hour more: no sixth try
    page.wait_for_timeout(500)
    assert len(tries) == 5
    page.get_by_role("button", name="Send now").click()  # the instructor asks: it goes
    expect(page.locator("#outbox")).not_to_have_attribute("data-sending", "true")
    assert len(tries) == 6


def test_a_conflicting_save_shows_both_versions_and_overwrites_nothing_until_chosen(
    app, phone_context, setup, accounts
):
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    save_offline(
        phone_context, page, setup.id, [("Əliyev Rauf", "Absent"), ("Babayev Elçin", "Late")]
    )
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")
    # Meanwhile a colleague with network saved the same sheet.
    colleague = accounts.make(Role.ADMIN, full_name="Aynur Məmmədova")
    save(app, setup.id, colleague, TODAY, {aliyev: "present", babayev: "excused"})

    phone_context.set_offline(False)
    page.goto("/instructor")
    conflict = page.get_by_test_id("outbox-conflict")
    expect(conflict).to_contain_text("was changed on the server after you opened it")
    rows = conflict.get_by_test_id("outbox-conflict-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Əliyev Rauf")
    expect(rows.nth(0)).to_contain_text("Absent")  # on this phone
    expect(rows.nth(0)).to_contain_text("On the server, saved by Aynur Məmmədova: Present")
    expect(rows.nth(1)).to_contain_text("Late")
    expect(rows.nth(1)).to_contain_text("Excused")
    # Not "waiting to be sent": it waits for the instructor, and only a choice sends it.
    expect(page.get_by_test_id("outbox-status")).to_contain_text(
        "1 sheet saved on this phone waits for your decision."
    )
    expect(page.get_by_role("button", name="Send now")).to_be_hidden()
    assert conflict.evaluate("card => card.scrollWidth <= card.clientWidth")  # fits 360 px
    assert stored(app, setup.id, TODAY) == {aliyev: ("present", ""), babayev: ("excused", "")}
    page.reload()  # still kept, still not sent over the colleague's record
    expect(page.get_by_test_id("outbox-conflict")).to_be_visible()
    assert stored(app, setup.id, TODAY) == {aliyev: ("present", ""), babayev: ("excused", "")}

    # The phone's record for Əliyev, the server's for Babayev.
    page.get_by_test_id("outbox-conflict-row").nth(0).get_by_label("Absent").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    expect(page.get_by_test_id("outbox-conflict")).to_have_count(0)
    assert stored(app, setup.id, TODAY) == {aliyev: ("absent", ""), babayev: ("excused", "")}
    with app.app_context():  # the choice was made on the version the conflict showed
        chosen = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "offline_save"))
        assert chosen.after["opened_at"] is not None


def test_another_account_on_the_same_phone_never_sees_or_sends_the_entries(
    app, phone_context, setup, accounts
):
    aliyev, _babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    save_offline(phone_context, page, setup.id, [("Əliyev Rauf", "Absent")])
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")

    # Back online, but the server cannot be reached yet: the entry waits.
    phone_context.route("**/outbox", lambda route: route.abort())
    phone_context.set_offline(False)
    page.goto("/instructor")
    expect(page.get_by_test_id("outbox-status")).to_contain_text("(1 waiting)")

    # The question is answered as it comes (an open dialog holds the click that caused
    # it), once the outbox has been read from the phone's storage.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    sign_out(page)
    for _ in range(450):
        if asked:
            break
        page.wait_for_timeout(100)
    expect(page.get_by_test_id("signed-in-as")).to_be_attached()  # dismissed: still signed in
    assert asked == [
        "1 sheet saved on this phone is not sent yet. It stays on this phone for your account "
        "and is sent when you sign in again. Sign out anyway?"
    ]
    page.once("dialog", lambda dialog: dialog.accept())  # sign out anyway: the entry stays
    sign_out(page)
    # The sign-in page then forgets the pages kept for the range: on a busy machine that
    # takes a while, so the wait is longer than an assertion's default.
    expect(page).to_have_url(re.compile(r"/login"), timeout=45_000)

    phone_context.unroute("**/outbox")
    colleague = accounts.make("instructor", full_name="Kamran Məmmədov")
    sign_in(page, colleague)
    page.goto("/instructor")
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    expect(page.get_by_test_id("outbox-status")).to_be_hidden()
    # The page's own sending on load done first: a click during it joins it, asking nothing.
    expect(page.locator("#outbox")).not_to_have_attribute("data-sending", "true")
    with page.expect_response("**/offline/account"):
        page.locator("[data-outbox-send]").dispatch_event("click")  # hidden: nothing waits
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    page.wait_for_load_state("networkidle")
    assert stored(app, setup.id, TODAY) == {}
    kept = page.evaluate(f"caches.match('{SHEET.format(setup.id)}').then(Boolean)")
    assert kept is False  # signing out emptied the pages kept for the other account

    asked.clear()
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/login"), timeout=45_000)
    assert asked == []  # nothing waits for this account: nothing is asked
    sign_in(page, setup.instructor)  # the entry was kept for its own account
    page.goto("/instructor")
    # Another account used this browser meanwhile: the entry is shown before it goes.
    review = page.get_by_test_id("outbox-review")
    expect(review).to_contain_text("before another account signed in on it")
    expect(review.get_by_test_id("outbox-marks")).to_contain_text("Əliyev Rauf: Absent")
    page.wait_for_load_state("networkidle")
    assert stored(app, setup.id, TODAY) == {}
    review.get_by_role("button", name="The marks are right: send them").click()
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    assert stored(app, setup.id, TODAY)[aliyev] == ("absent", "")


def test_a_save_whose_network_drops_on_the_way_waits_on_the_phone(app, phone_context, setup):
    """The phone believes it is online, but nothing gets through (one bar at the range)."""
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    page.goto(SHEET.format(setup.id))
    phone_context.route("**/outbox", lambda route: route.abort("internetdisconnected"))
    mark(page, "Əliyev Rauf", "Absent")
    page.get_by_role("button", name=re.compile("Save the sheet")).click()
    expect(page.get_by_test_id("outbox-saved")).to_have_text(
        "Saved on this phone, not yet sent (1 waiting)."
    )
    assert stored(app, setup.id, TODAY) == {}

    phone_context.unroute("**/outbox")
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_test_id("outbox-saved")).to_have_text(
        "Everything saved on this phone has been sent."
    )
    assert stored(app, setup.id, TODAY) == {aliyev: ("absent", ""), babayev: ("present", "")}


def test_an_online_save_that_is_refused_shows_the_pages_own_message(app, phone_context, setup):
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    page.goto(SHEET.format(setup.id))
    # Saved meanwhile in another tab by the same instructor.
    save(app, setup.id, setup.instructor, TODAY, {aliyev: "present", babayev: "excused"})
    mark(page, "Əliyev Rauf", "Absent")
    page.get_by_role("button", name=re.compile("Save the sheet")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "You saved this sheet again after this copy of it was opened."
    )
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    assert stored(app, setup.id, TODAY) == {aliyev: ("present", ""), babayev: ("excused", "")}


def test_the_app_passes_chromiums_installability_checks(browser, setup, live_server, tmp_path):
    # An ordinary profile: Chromium never offers to install from an incognito context.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=services.chromium_executable(),
        args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        has_touch=True,
    )
    try:
        context.clock.set_fixed_time(PHONE_TIME)
        page = new_page(context)
        sign_in(page, setup.instructor)
        ready_for_the_range(page)
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == f"{live_server}/manifest.webmanifest"
        assert manifest["errors"] == []
        scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
        assert scope == f"{live_server}/"
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
