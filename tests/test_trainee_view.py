"""The trainee's own view: scores and attempts, what is missing now, days ahead; at risk."""

from datetime import date

import pytest
from playwright.sync_api import expect

from models import Role
from tests.factories import freeze
from tests.scenarios.browser import sign_in
from tests.scenarios.progress import take
from tests.scenarios.results_api import make_setup
from tests.scenarios.results_pages import NAMES, record

DAY_3 = date(2021, 1, 13)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_trainee_sees_scores_attempts_and_only_what_is_missing_now(
    app, page, accounts, monkeypatch
):
    freeze(monkeypatch, DAY_3)
    setup = make_setup(app, accounts, names=NAMES)
    trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    take(app, setup, date(2021, 1, 12), {setup.trainees[0]: "present"})  # the 11th: no record
    record(app, setup, "T1", {0: 50}, day=date(2021, 1, 12))
    sign_in(page, trainee)
    modules = page.get_by_test_id("my-modules")
    t1 = modules.get_by_role("row").filter(has_text="T1 · Module T1")
    expect(t1).to_contain_text("50 (not passed)")
    expect(t1).to_contain_text("1 of 2")
    expect(modules.get_by_role("row").filter(has_text="P1 · Module P1")).to_contain_text("—")
    missing = page.get_by_test_id("missing")
    expect(missing).to_contain_text("1 past training day has no attendance record.")
    expect(missing).not_to_contain_text("The course ends on")
    expect(page.get_by_test_id("days-ahead")).to_have_text("36 training days still to come.")
    expect(page.get_by_text("Today:")).to_be_visible()


def test_a_finished_course_shows_no_today(app, client, accounts, monkeypatch):
    freeze(monkeypatch, DAY_3)
    setup = make_setup(app, accounts, names=NAMES)
    trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    freeze(monkeypatch, date(2021, 3, 10))  # two weeks after the last day
    accounts.login(trainee)
    html = client.get("/me").text
    assert "Today:" not in html and "days-ahead" not in html
    assert "38 past training days have no attendance record." in html


def test_at_risk_shows_below_now_and_out_of_reach(app, client, accounts, monkeypatch):
    freeze(monkeypatch, date(2021, 1, 12))
    setup = make_setup(app, accounts, names=NAMES, programme={"attendance_threshold": 100})
    absent, present = setup.trainees[0], setup.trainees[1]
    take(app, setup, date(2021, 1, 11), {absent: "absent", present: "present"})
    accounts.login(setup.instructor)
    html = client.get(f"/courses/{setup.id}/results").text
    row = next(r for r in html.split("<tr") if "Əliyev Rauf" in r)
    assert "Below 100% attendance now (0.0%)." in row
    assert "Cannot reach 100% attendance: at best 97.4%." in row
    other = next(r for r in html.split("<tr") if "Babayev Elçin" in r)
    assert "Below 100%" not in other and "Cannot reach" not in other


def test_today_and_the_next_planned_day_show_their_modules_and_no_later_one(
    app, client, accounts, monkeypatch
):
    from sqlalchemy import select

    from extensions import db
    from models import Module, PlanEntry

    freeze(monkeypatch, DAY_3)
    setup = make_setup(app, accounts, names=NAMES)
    trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    with app.app_context():
        rows = db.session.execute(
            select(PlanEntry.day, Module.code)
            .join(Module, Module.id == PlanEntry.module_id)
            .where(PlanEntry.course_id == setup.id, PlanEntry.day >= DAY_3)
        ).all()
    days = sorted({day for day, _code in rows})
    assert days[0] == DAY_3 and len(days) > 2  # today, the next day, and later ones
    on = {day: {code for d, code in rows if d == day} for day in days}
    later = set().union(*(on[day] for day in days[2:])) - on[days[0]] - on[days[1]]
    accounts.login(trainee)
    html = client.get("/me").text
    today = html.split("<strong>Today:</strong>")[1].split("</div>")[0]
    coming = html.split("<strong>Next (")[1].split("</div>")[0]
    assert {code for code in on[DAY_3] if f"{code} · " in today} == on[DAY_3]
    assert {code for code in on[days[1]] if f"{code} · " in coming} == on[days[1]]
    assert coming.startswith("Jan 14, 2021)")  # the next training day, named
    assert later and not any(f"{code} · " in today + coming for code in later)
