"""Chromium on the screens that broke: what a person sees on a phone and on a laptop.

Each test builds the demo (`flask seed-demo`) and looks at one screen the way its
user does: in Russian or Azerbaijani, at a phone's or a laptop's width.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core import clock
from courses.days_off import cancel_training_day
from courses.plans import course_training_days
from demo.data import ACCOUNTS
from extensions import db
from models import Course, User
from tests.scenarios.browser import fits_the_screen
from tests.scenarios.i18n_pages import translated
from tests.scenarios.layout import demo_values, sign_in_by_field_names

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

ADMIN, INSTRUCTOR = ACCOUNTS[0], ACCOUNTS[1]


@pytest.fixture
def demo(app, runner):
    seeded = runner.invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    return demo_values(app)


@pytest.fixture
def screen(browser, live_server):
    """A page in the given language and size: screen("ru", 390)."""
    contexts = []

    def open_screen(language: str, width: int, height: int = 800):
        context = browser.new_context(
            base_url=live_server, locale=language, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_screen
    for context in contexts:
        context.close()


def box(locator) -> dict:
    return locator.bounding_box()


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
    )


def contrast(page, locator) -> float:
    """WCAG contrast ratio of the element's text on its own background."""
    return page.evaluate(
        """(element) => {
          const channel = (c) => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          };
          const luminance = (rgb) => {
            const [r, g, b] = rgb.match(/\\d+/g).map(Number);
            return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
          };
          const style = getComputedStyle(element);
          const [a, b] = [luminance(style.color), luminance(style.backgroundColor)];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
        locator.element_handle(),
    )


@pytest.mark.parametrize("language", ["ru", "az"])
def test_the_administrators_top_bar_is_one_row_on_laptops(demo, screen, language):
    for width in (1024, 1280, 1440):
        page = screen(language, width)
        sign_in_by_field_names(page, ADMIN)
        bar = page.get_by_role("navigation")
        assert box(bar)["height"] <= 100, f"{width} px: the bar is {box(bar)['height']} px tall"
        name = page.get_by_test_id("signed-in-as")
        switcher = page.get_by_test_id("language-switcher")
        expect(switcher).to_be_in_viewport(ratio=1)
        if not name.is_visible():  # the menu is folded: one tap opens it
            page.locator(".navbar-toggler").click()
        expect(name).to_be_in_viewport(ratio=1)
        lines = "(e) => { const s = getComputedStyle(e); return (e.clientHeight"
        lines += " - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom))"
        lines += " / parseFloat(s.lineHeight); }"
        assert name.evaluate(lines) < 1.5, "the name is written on one line"
        sign_out = page.locator("nav form[action='/logout'] button")
        expect(sign_out).to_be_in_viewport(ratio=1)
        assert fits_the_screen(page), f"{width} px: the page scrolls sideways"


def test_the_russian_attendance_sheet_fits_a_phone_and_shows_the_choice_plainly(demo, screen):
    page = screen("ru", 390, 844)
    sign_in_by_field_names(page, INSTRUCTOR)
    page.goto(f"/courses/{demo['course_id']}/attendance/{demo['day'].isoformat()}")
    assert fits_the_screen(page)
    card = page.get_by_test_id("sheet-row").first
    excused = card.locator("label", has_text="По уважительной причине")
    assert inside(box(excused), box(card))

    late = card.locator("label", has_text="Опоздал")
    late.click()
    expect(card.locator("input[value=late]")).to_be_checked()
    tick = "(e) => getComputedStyle(e, '::before').content"
    assert late.evaluate(tick) == '"✓\u00a0"'  # marked, not only coloured
    expect(late).to_have_css("background-color", "rgb(102, 77, 3)")  # filled (it fades in)
    for label in card.locator("label.btn").all():
        if not label.get_attribute("for").endswith("-late"):
            assert label.evaluate(tick) in ("none", "normal")
            expect(label).to_have_css("background-color", "rgb(255, 255, 255)")
    for label in card.locator("label.btn").all():  # readable outdoors, chosen or not
        assert contrast(page, label) >= 7, label.inner_text()


def test_results_entry_is_one_card_per_trainee_on_a_phone(demo, screen):
    page = screen("ru", 390, 844)
    sign_in_by_field_names(page, INSTRUCTOR)
    page.goto(f"/courses/{demo['course_id']}/results/{demo['module_code']}")
    assert fits_the_screen(page)
    rows = page.get_by_test_id("result-row")
    assert rows.count() >= 10
    screen_box = {"x": 0, "width": 390}
    for row in rows.all()[:3]:
        assert inside(box(row), screen_box)
        for control in row.locator("input").all():
            assert inside(box(control), screen_box)
    label = "(e) => getComputedStyle(e, '::before').content"
    cell = rows.first.locator("td[data-label]").nth(1)
    assert cell.evaluate(label) == '"Результат"'  # each card names its fields


def test_the_trainee_register_in_russian_fits_a_phone(demo, screen):
    page = screen("ru", 390, 844)
    sign_in_by_field_names(page, ADMIN)
    page.goto("/trainees")
    expect(page.get_by_role("heading", name="Слушатели", exact=True)).to_be_visible()
    assert fits_the_screen(page)


def test_a_wide_table_scrolls_in_its_own_box_by_keyboard_with_the_name_pinned(demo, screen):
    page = screen("en", 360)
    sign_in_by_field_names(page, ADMIN)
    page.goto(f"/courses/{demo['course_id']}/attendance")
    assert fits_the_screen(page)
    region = page.get_by_role("region", name="Attendance")
    page.keyboard.press("Tab")  # from the first link, Tab by Tab until the table's box
    for _ in range(80):
        if region.evaluate("(e) => e === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the table's box is not reached with the Tab key")
    name = page.locator("tbody th.sticky-col").first
    before = box(name)["x"]
    page.keyboard.press("ArrowRight")  # scrolls smoothly: wait for it to move
    page.wait_for_function("(e) => e.scrollLeft > 0", arg=region.element_handle())
    assert abs(box(name)["x"] - before) < 1, "the name column moved away"
    assert re.search(r"\S", name.inner_text())


VERDICTS = ["VALID", "NOT VALID", "REVOKED", "SUPERSEDED", "EXPIRED"]
LINES = "(e) => Math.round(e.clientHeight / parseFloat(getComputedStyle(e).lineHeight))"


@pytest.mark.parametrize("language", ["ru", "az"])
def test_the_verdict_at_a_checkpoint_never_breaks_a_word(demo, screen, language):
    """ДЕЙСТВИТЕЛЬНО, ETİBARLIDIR: one line each, on a phone and on a laptop, in every
    verdict of the language (a word may not be cut in two: at most one line a word)."""
    for width in (360, 1024):
        page = screen(language, width)
        page.goto(f"/verify/{demo['code']}?lang={language}")
        verdict = page.get_by_test_id("verdict")
        expect(verdict).to_have_text(translated(language, "VALID"))
        assert verdict.evaluate(LINES) == 1, f"{width} px"
        assert fits_the_screen(page)
        for english in VERDICTS:  # the other verdicts, as the page would size them
            word = translated(language, english)
            longest = max(len(part) for part in word.split())
            verdict.evaluate(
                "(e, [word, longest]) => { e.textContent = word;"
                " e.style.setProperty('--letters', longest); }",
                [word, longest],
            )
            assert verdict.evaluate(LINES) <= len(word.split()), f"{word} at {width} px"


@pytest.mark.parametrize("language", ["ru", "az"])
def test_the_open_tab_of_a_course_is_on_a_phones_screen(demo, screen, language):
    """The course's tabs scroll sideways at 360 px: the last one, open, is brought in."""
    page = screen(language, 360)
    sign_in_by_field_names(page, ADMIN)
    page.goto(f"/courses/{demo['finished_course_id']}/certificates")
    tabs = page.locator(".nav-tabs")
    active = tabs.locator(".nav-link.active")
    expect(active).to_have_text(translated(language, "Certificates"))
    assert tabs.evaluate("list => list.scrollWidth > list.clientWidth")  # it does scroll
    assert inside(box(active), box(tabs))
    # A tab in the middle is centred: a tab cut at each edge says there are more.
    page.goto(f"/courses/{demo['finished_course_id']}/attendance")
    active = tabs.locator(".nav-link.active")
    assert inside(box(active), box(tabs))
    tab, frame = box(active), box(tabs)
    assert abs(tab["x"] + tab["width"] / 2 - (frame["x"] + frame["width"] / 2)) < 20
    assert tabs.evaluate("list => list.scrollLeft > 0")
    assert tabs.evaluate("list => list.scrollLeft + list.clientWidth < list.scrollWidth - 1")


@pytest.mark.parametrize("language", ["ru", "az"])
def test_issued_certificates_fit_a_laptop_with_revoke_in_view(demo, screen, language):
    """Seven columns did not fit 1024 px in Russian: "Revoke or reissue" lay past the edge."""
    page = screen(language, 1024)
    sign_in_by_field_names(page, ADMIN)
    page.goto(f"/courses/{demo['finished_course_id']}/certificates")
    issued = page.get_by_test_id("issued")
    frame = issued.locator("xpath=..")
    assert frame.evaluate("box => box.scrollWidth <= box.clientWidth"), "it scrolls sideways"
    summary = issued.locator("summary").first
    expect(summary).to_have_text(translated(language, "Revoke or reissue"))
    assert inside(box(summary), box(frame))
    dates = issued.locator("td[data-label]").nth(3)
    expect(dates).to_have_attribute("data-label", translated(language, "Issued – expires"))
    # On a phone each certificate is a card: both dates beside their label, the expiry
    # not pushed under the label into a row of its own.
    page.set_viewport_size({"width": 360, "height": 800})
    label_width = dates.evaluate("cell => parseFloat(getComputedStyle(cell).gridTemplateColumns)")
    expiry = dates.locator(".text-nowrap").nth(1)
    assert box(expiry)["x"] >= box(dates)["x"] + label_width, "the expiry is under the label"


def test_a_sheet_saved_on_a_phone_says_so_on_screen_with_its_day_in_view(demo, screen):
    """The grid opened at the saved day's column, and the jump left the message above it."""
    page = screen("ru", 360)
    page.emulate_media(reduced_motion="reduce")  # the jumps are instant, not animated
    sign_in_by_field_names(page, INSTRUCTOR)
    day = demo["day"].isoformat()
    page.goto(f"/courses/{demo['course_id']}/attendance/{day}")
    page.get_by_role("button", name=re.compile("^Сохранить ведомость")).click()
    expect(page).to_have_url(re.compile(rf"/attendance#day-{day}$"))
    page.wait_for_load_state("load")
    expect(page.get_by_role("alert")).to_contain_text("сохранена")
    expect(page.get_by_role("alert")).to_be_in_viewport(ratio=0.9)
    column = page.locator(f"#day-{day}")
    names = page.locator("thead th").first
    grid = page.locator(".table-responsive", has=column)
    middle = box(column)["x"] + box(column)["width"] / 2
    visible = box(names)["x"] + box(names)["width"], box(grid)["x"] + box(grid)["width"]
    assert visible[0] <= middle <= visible[1], f"the day is at {middle}, visible {visible}"


def test_a_late_mark_in_the_grid_reads_in_sunlight_even_on_a_row_below_the_threshold(demo, screen):
    page = screen("ru", 1280)
    sign_in_by_field_names(page, INSTRUCTOR)
    page.goto(f"/courses/{demo['course_id']}/attendance")
    late = page.locator("td.status-late").first
    assert contrast(page, late) >= 4.5
    late.evaluate("cell => cell.parentElement.classList.add('table-danger', 'below-threshold')")
    assert contrast(page, late) >= 4.5  # the pink of a row below the threshold


@pytest.mark.parametrize("language", ["ru", "az"])
def test_the_plan_shows_the_whole_week_on_a_phone_with_the_reasons_above_it(
    app, demo, screen, language
):
    """Only Monday to Thursday fitted: the cancelled Friday and the weekend lay off screen,
    and a long reason widened its day at every width."""
    reason = "Штормовое предупреждение для полигона, стрельбы перенесены"
    with app.app_context():
        course = db.session.get(Course, demo["course_id"])
        admin = db.session.scalar(select(User).where(User.email == ADMIN["email"]))
        future = [day for day in course_training_days(course) if day > clock.today()]
        cancel_training_day(course, future[0], reason, False, admin)
        db.session.commit()
    page = screen(language, 360)
    sign_in_by_field_names(page, ADMIN)
    page.goto(f"/courses/{demo['course_id']}/plan")
    months = page.get_by_test_id("plan-month")
    assert months.count() >= 1
    for month in months.all():
        assert month.evaluate(
            "table => table.parentElement.scrollWidth <= table.parentElement.clientWidth"
        )
        heads = month.locator("thead th")
        widths = {round(box(heads.nth(n))["width"]) for n in range(7)}
        assert max(widths) - min(widths) <= 2, widths  # seven equal columns
    expect(page.get_by_test_id("cancelled-days")).to_contain_text(reason)
    assert fits_the_screen(page)
