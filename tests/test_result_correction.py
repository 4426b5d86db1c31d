"""Correcting a mistyped result in the browser: 24 hours, assessor or admin, old value kept."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from core.audit import AuditEntry
from extensions import db
from models import Course, ModuleResult, Role, User
from tests.conftest import csrf_token_in
from tests.scenarios.browser import sign_in
from tests.scenarios.results_api import make_setup
from tests.scenarios.results_pages import record


@pytest.fixture
def setup(app, accounts):
    setup = make_setup(app, accounts)
    record(app, setup, "T1", {0: 65})  # meant 85
    return setup


def the_result(app) -> ModuleResult:
    with app.app_context():
        result = db.session.scalar(select(ModuleResult))
        db.session.expunge(result)
        return result


def age_result(app, hours: int) -> None:
    with app.app_context():
        recorded = db.session.scalar(select(ModuleResult.recorded_at))
        db.session.execute(
            update(ModuleResult).values(recorded_at=recorded - timedelta(hours=hours))
        )
        db.session.commit()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_instructor_corrects_a_mistyped_score(app, page, setup):
    sign_in(page, setup.instructor)
    page.goto(f"/enrolments/{setup.enrolled[0]}/results")
    row = page.get_by_test_id("trainee-results").get_by_role("row").filter(has_text="T1")
    row.get_by_role("link", name="Correct").click()
    expect(page.get_by_test_id("recorded-value")).to_contain_text("65")
    page.get_by_label("Score").fill("85")
    page.get_by_label("Note (optional)").fill("typed 65 for 85")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_role("alert")).to_have_text("The result in T1 is corrected.")
    expect(row).to_contain_text("85")

    result = the_result(app)
    assert (result.score, result.passed, result.attempt) == (85, True, 1)
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.entity_id == result.id, AuditEntry.action == "update")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.before["score"] == 65 and entry.after["score"] == 85


def test_past_24_hours_the_page_refuses_and_says_to_record_a_new_attempt(
    app, client, accounts, setup
):
    age_result(app, 25)
    accounts.login(setup.instructor)
    result = the_result(app)
    results_page = client.get(f"/enrolments/{setup.enrolled[0]}/results").get_data(as_text=True)
    assert f"/results/{result.id}/correct" not in results_page
    page = client.get(f"/results/{result.id}/correct").get_data(as_text=True)
    assert "record a new attempt instead" in page
    answer = client.post(
        f"/results/{result.id}/correct",
        data={"csrf_token": csrf_token_in(page), "version": result.version, "score": "85"},
    )
    assert answer.status_code == 422
    assert "A result can be corrected within 24 hours" in answer.get_data(as_text=True)
    assert the_result(app).score == 65


def test_a_bad_score_is_shown_next_to_the_field_and_nothing_changes(app, client, accounts, setup):
    accounts.login(setup.instructor)
    result = the_result(app)
    page = client.get(f"/results/{result.id}/correct").get_data(as_text=True)
    answer = client.post(
        f"/results/{result.id}/correct",
        data={"csrf_token": csrf_token_in(page), "version": result.version, "score": "850"},
    )
    assert answer.status_code == 422
    assert re.search(
        r'id="score-errors"[^>]*>\s*<div>Number must be between 0 and 100', answer.text
    )
    assert the_result(app).score == 65


def test_another_instructor_of_the_course_may_not_correct(app, client, accounts, setup):
    colleague = accounts.make(Role.INSTRUCTOR)
    with app.app_context():
        course = db.session.get(Course, setup.id)
        course.instructors.append(db.session.get(User, colleague["id"]))
        db.session.commit()
    accounts.login(colleague)
    result = the_result(app)
    page = client.get(f"/results/{result.id}/correct").get_data(as_text=True)
    assert "Only the assessor or an administrator corrects a result." in page
    answer = client.post(
        f"/results/{result.id}/correct",
        data={"csrf_token": csrf_token_in(page), "version": result.version, "score": "85"},
    )
    assert answer.status_code == 403
    assert the_result(app).score == 65


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_saving_the_result_as_it_was_says_nothing_changed(app, client, accounts, setup):
    accounts.login(setup.instructor)
    result = the_result(app)
    page = client.get(f"/results/{result.id}/correct").get_data(as_text=True)
    answer = client.post(
        f"/results/{result.id}/correct",
        data={"csrf_token": csrf_token_in(page), "version": result.version, "score": "65"},
        follow_redirects=True,
    )
    assert "Nothing changed: the result in T1 is as it was." in answer.get_data(as_text=True)
    after = the_result(app)
    assert (after.version, after.corrected_at) == (result.version, None)
    with app.app_context():
        corrections = select(AuditEntry).where(AuditEntry.entity == "module_results")
        assert [entry.action for entry in db.session.scalars(corrections)] == ["create"]
