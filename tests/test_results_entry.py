"""Results entry offers only who may take an attempt now, and warns before the plan's module."""

import pytest
from playwright.sync_api import expect

from tests.factories import freeze
from tests.scenarios.browser import sign_in
from tests.scenarios.results_api import make_setup, stored
from tests.scenarios.results_pages import NAMES, TODAY, record

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)  # day 2: T1 is taught today, P1 from tomorrow
    setup = make_setup(app, accounts, names=NAMES)
    record(app, setup, "T1", {0: 90, 1: 40})
    record(app, setup, "T1", {1: 45})  # Babayev has used both attempts
    return setup


def test_only_trainees_who_may_attempt_are_offered_the_others_with_the_reason(app, page, setup):
    sign_in(page, setup.instructor)
    page.goto(f"/courses/{setup.id}/results/T1")
    expect(page.get_by_label("Score of Orlov İvan")).to_be_visible()
    expect(page.get_by_label("Score of Əliyev Rauf")).to_have_count(0)
    expect(page.get_by_label("Score of Babayev Elçin")).to_have_count(0)
    not_offered = page.get_by_test_id("not-offered")
    expect(not_offered).to_contain_text("Əliyev Rauf has already passed T1.")
    expect(not_offered).to_contain_text("Babayev Elçin has used all 2 attempts at T1.")
    expect(page.get_by_test_id("plan-not-reached")).to_have_count(0)  # T1 is taught today


def test_a_module_the_plan_has_not_reached_asks_for_confirmation(app, page, setup):
    aliyev = setup.enrolled[0]
    sign_in(page, setup.instructor)
    page.goto(f"/courses/{setup.id}/results/P1")
    expect(page.get_by_test_id("plan-not-reached")).to_have_text(
        "The plan has not reached P1 yet: it starts on Jan 13, 2021."
    )
    expect(page.get_by_label("Result of Əliyev Rauf")).to_be_visible()
    expect(page.get_by_test_id("not-offered")).to_contain_text(
        "Orlov İvan has not passed T1, which P1 requires."
    )
    page.get_by_label("Result of Əliyev Rauf").select_option("pass")
    # The browser insists on the box; without a browser the server does, as here.
    page.evaluate("document.getElementById('early').removeAttribute('required')")
    page.get_by_role("button", name="Save the results").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Confirm that the result is recorded before the planned module."
    )
    assert stored(app, aliyev) == [("T1", 1, 90, True, TODAY)]
    page.get_by_label("Result of Əliyev Rauf").select_option("pass")
    page.get_by_label("Record these results before the planned module all the same").check()
    page.get_by_role("button", name="Save the results").click()
    expect(page.get_by_role("alert")).to_have_text("1 result recorded for P1.")
    assert ("P1", 1, None, True, TODAY) in stored(app, aliyev)
