"""Irreversible acts ask first (without JavaScript too); a revoked certificate says since when."""

import re

import pytest
from playwright.sync_api import expect

from models import Role
from tests.conftest import post_form
from tests.factories import make_trainee
from tests.scenarios.browser import sign_in
from tests.scenarios.certificate_pages import graduates_signed_in
from tests.scenarios.certificates_api import issue, rows
from tests.scenarios.roster_pages import course_with_organisations, enrolled, enrolment_of, flashed

NOT_CONFIRMED = "Nothing was changed: tick the box to confirm first."


@pytest.fixture
def setup(app, accounts, monkeypatch):
    """Two eligible trainees and one who is not; the administrator signed in."""
    return graduates_signed_in(app, accounts, monkeypatch)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_revoking_asks_first_and_the_verify_page_shows_the_revocation_date(
    app,
    page,
    client,
    setup,
):
    assert issue(client, setup, 0).status_code == 201
    sign_in(page, setup.admin)
    page.goto(setup.tab)
    page.get_by_text("Revoke or reissue").click()
    page.get_by_label("Reason for revoking").fill("Forged papers")
    revoke = page.get_by_role("button", name="Revoke 2021-00001")
    box = page.get_by_label(re.compile("Revoking 2021-00001 cannot be undone"))
    revoke.click()  # the box is required: the browser keeps the form back
    assert box.evaluate("field => field.validity.valueMissing")
    assert rows(app)[0].status == "valid"
    box.check()
    revoke.click()
    expect(page.get_by_role("alert")).to_have_text("Certificate 2021-00001 is revoked.")

    certificate = rows(app)[0]
    page.goto(f"/verify/{certificate.verification_code}")
    expect(page.get_by_test_id("verdict")).to_have_text("REVOKED")
    revoked_on = certificate.revoked_on
    expect(page.get_by_test_id("revoked-on")).to_have_text(
        f"{revoked_on:%b} {revoked_on.day}, {revoked_on.year}"
    )
    expect(page.get_by_text("Valid until")).to_have_count(0)


def test_revoke_and_reissue_without_the_box_change_nothing(
    app,
    client,
    setup,
):
    assert issue(client, setup, 0).status_code == 201
    revoked = post_form(
        client, "/certificates/2021-00001/revoke", {"reason": "Forged"}, form_page=setup.tab
    )
    assert NOT_CONFIRMED in client.get(revoked.headers["Location"]).text
    reissued = post_form(client, "/certificates/2021-00001/reissue", {}, form_page=setup.tab)
    assert NOT_CONFIRMED in client.get(reissued.headers["Location"]).text
    assert [(c.number, c.status) for c in rows(app)] == [("2021-00001", "valid")]


def test_withdrawal_without_the_box_changes_nothing(app, client, accounts):
    course_id = course_with_organisations(app)
    trainee_id = make_trainee(app, "AZ-FHN", full_name="Əli Məmmədov")
    (enrolment_id,) = enrolled(app, course_id, trainee_id)
    accounts.login_as(Role.ADMIN)
    roster = f"/courses/{course_id}/roster"
    assert "Əli Məmmədov loses the seat" in client.get(roster).text
    response = post_form(
        client,
        f"/enrolments/{enrolment_id}/withdraw",
        {"version": "1", "reason": "Injured hand"},
        form_page=roster,
    )
    assert NOT_CONFIRMED in flashed(client, response)
    assert enrolment_of(app, trainee_id).status == "enrolled"


def test_cancelling_a_course_asks_first(app, client, accounts):
    course_id = course_with_organisations(app)
    accounts.login_as(Role.ADMIN)
    page = f"/courses/{course_id}"
    assert "Cancelling the course takes it off every schedule" in client.get(page).text
    refused = post_form(client, f"{page}/status/cancelled", {"version": "1"}, form_page=page)
    assert NOT_CONFIRMED in client.get(refused.headers["Location"]).text
    done = post_form(
        client, f"{page}/status/cancelled", {"version": "1", "confirm": "yes"}, form_page=page
    )
    assert "The course is now cancelled." in client.get(done.headers["Location"]).text
