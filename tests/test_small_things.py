"""Small everyday things: course search, names linked, certificates listed, labels, favicon."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from extensions import db
from models import Course, Role
from tests.factories import freeze, make_course, make_programme, make_trainee
from tests.scenarios.browser import sign_in
from tests.scenarios.certificate_pages import graduates_signed_in
from tests.scenarios.certificates_api import issue
from tests.scenarios.roster_pages import course_with_organisations, enrolled


def cards(html: str) -> list[str]:
    return re.findall(r'<a href="/courses/\d+">([^<]+)</a></h2>', html)


@pytest.fixture
def setup(app, accounts, monkeypatch):
    """Two eligible trainees and one who is not; the administrator signed in."""
    return graduates_signed_in(app, accounts, monkeypatch)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_course_list_search_year_status_and_pages(app, page, accounts):
    programme_id = make_programme(app)
    make_course(app, programme_id, code="AGH-2021", start=date(2021, 1, 11), location="Aghdam")
    make_course(
        app, programme_id, code="FZL-2022", start=date(2022, 3, 7), holidays=(), location="Füzuli"
    )
    make_course(
        app, programme_id, code="AGH-2022", start=date(2022, 9, 5), holidays=(), statuses=["open"]
    )
    for number in range(22):  # more than one page
        make_course(app, programme_id, code=f"OLD-{number}", start=date(2010, 1, 4), holidays=())
    sign_in(page, accounts.make(Role.ADMIN))
    page.goto("/courses")
    expect(page.get_by_test_id("course-count")).to_have_text("25 courses")
    expect(page.get_by_test_id("course-card")).to_have_count(20)
    page.get_by_role("link", name="2", exact=True).click()
    expect(page.get_by_test_id("course-card")).to_have_count(5)

    page.goto("/courses")
    page.get_by_label("Code, title or place").fill("agh-20")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_test_id("course-count")).to_have_text("2 courses")
    page.get_by_label("Year").fill("2022")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_test_id("course-card")).to_have_count(1)
    expect(page.get_by_test_id("course-card")).to_contain_text("AGH-2022")
    page.get_by_role("link", name="open for enrolment").click()  # keeps the search
    expect(page.get_by_test_id("course-card")).to_contain_text("AGH-2022")
    page.goto("/courses?q=F%C3%BCzuli&status=open")
    expect(page.get_by_text("No courses to show.")).to_be_visible()


def test_search_wildcards_are_taken_literally(app, client, accounts):
    make_course(app, make_programme(app), code="AGH-1")
    accounts.login_as(Role.ADMIN)
    assert cards(client.get("/courses?q=%25").text) == []
    assert cards(client.get("/courses?q=_").text) == []
    assert cards(client.get("/courses?q=agh-1").text) == ["Course AGH-1"]


def test_roster_names_link_to_the_trainee_page(app, client, accounts):
    course_id = course_with_organisations(app)
    trainee_id = make_trainee(app, "AZ-FHN", full_name="Əli Məmmədov")
    enrolled(app, course_id, trainee_id)
    accounts.login_as(Role.ADMIN)
    html = client.get(f"/courses/{course_id}/roster").text
    assert f'<a href="/trainees/{trainee_id}">Əli Məmmədov</a>' in html


def test_trainee_page_lists_certificates(app, client, setup):  # noqa: F811
    assert issue(client, setup, 0).status_code == 201
    with app.app_context():
        from models import Enrolment

        trainee_id = db.session.get(Enrolment, setup.enrolments[0]).trainee_id
    html = client.get(f"/trainees/{trainee_id}").text
    listed = html.split('data-testid="trainee-certificates"')[1].split("</ul>")[0]
    assert "2021-00001" in listed and "valid" in listed


def test_course_page_says_which_count_is_which_and_pages_have_a_favicon(
    app, client, accounts, monkeypatch
):

    freeze(monkeypatch, date(2021, 2, 1))
    course_id = make_course(app, make_programme(app))
    accounts.login_as(Role.ADMIN)
    html = client.get(f"/courses/{course_id}").text
    assert "Training days (rest days and holidays left out)" in html
    assert re.search(r'data-testid="calendar-day">Day 22 of 45<', html)
    assert 'rel="icon" type="image/svg+xml" href="/static/favicon.svg"' in html
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    with app.app_context():
        assert db.session.get(Course, course_id).code == "AGH-1"


def test_instructor_on_two_overlapping_courses_is_warned_about(app, client, accounts):
    instructor = accounts.make(Role.INSTRUCTOR, full_name="Rəşad Quliyev")
    programme_id = make_programme(app)
    first = make_course(app, programme_id, code="AGH-1", instructor_ids=[instructor["id"]])
    make_course(
        app,
        programme_id,
        code="FZL-1",
        start=date(2021, 2, 1),
        holidays=(),
        instructor_ids=[instructor["id"]],
    )
    later = make_course(
        app, programme_id, code="FZL-2", start=date(2021, 6, 1), holidays=(), instructor_ids=[]
    )
    accounts.login_as(Role.ADMIN)
    html = client.get(f"/courses/{first}").text
    assert (
        "Rəşad Quliyev also teaches FZL-1 from Feb 1, 2021 to Mar 17, 2021, which overlaps "
        "this course." in html
    )
    assert 'data-testid="instructor-overlap"' not in client.get(f"/courses/{later}").text
