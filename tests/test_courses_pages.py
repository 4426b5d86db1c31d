"""Course pages through the real forms: schedule, refuse, move, see only one's own."""

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import select

from extensions import db
from models import Course, PlanEntry
from models.account import Role
from tests.conftest import post_form
from tests.factories import freeze, make_course, make_organisation, make_programme, module
from tests.scenarios.course_pages import COURSE_FORM


def test_admin_schedules_a_course_through_the_form(app, client, accounts):
    programme_id = make_programme(app)
    organisation_id = make_organisation(app)
    instructor = accounts.make(Role.INSTRUCTOR, full_name="Rəşad Quliyev")
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        "/courses/new",
        {
            **COURSE_FORM,
            "programme_id": str(programme_id),
            "instructor_ids": [str(instructor["id"])],
            f"quota_{organisation_id}": "12",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Course AGH-7 saved." in page.text
    assert 'data-testid="end-date">Feb 24, 2021</dd>' in page.text
    assert '<dd class="col-7" data-testid="training-days">38</dd>' in page.text
    assert "Rəşad Quliyev" in page.text
    assert "AZ-MES: 12" in page.text
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.code == "AGH-7"))
        assert course.end_date == date(2021, 2, 24)
        assert len({entry.day for entry in course.plan}) == 38


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"capacity": "0"}, "Number must be between 1 and 10000."),
        (
            {"holidays": "2021-03-20"},
            "Mar 20, 2021 is outside the course (Jan 11, 2021 to Feb 24, 2021).",
        ),
        ({"holidays": "20.01.2021"}, "20.01.2021 is not a date (YYYY-MM-DD)."),
        ({"start_date": ""}, "This field is required."),
    ],
)
def test_course_form_shows_refusals_next_to_fields(app, client, accounts, change, message):
    programme_id = make_programme(app)
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client, "/courses/new", {**COURSE_FORM, "programme_id": str(programme_id), **change}
    )
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(Course)) is None


def test_course_form_refuses_a_plan_that_does_not_fit(app, client, accounts):
    programme_id = make_programme(app, modules=[module(f"M{i}", hours=41) for i in range(1, 9)])
    accounts.login_as(Role.ADMIN)
    response = post_form(client, "/courses/new", {**COURSE_FORM, "programme_id": str(programme_id)})
    assert response.status_code == 422
    assert "they need 41 training days, the course has 38" in response.text


def test_stale_course_form_changes_nothing(app, client, accounts):
    course_id = make_course(app, make_programme(app))
    accounts.login_as(Role.ADMIN)
    url = f"/courses/{course_id}/edit"
    page = client.get(url)
    with app.app_context():
        db.session.get(Course, course_id).title = "Changed meanwhile"
        db.session.commit()
    from tests.conftest import csrf_token_in

    response = client.post(
        url,
        data={
            **COURSE_FORM,
            "code": "AGH-1",
            "programme_id": "1",
            "title": "Mine",
            "version": "1",
            "csrf_token": csrf_token_in(page.text),
        },
    )
    assert response.status_code == 422
    assert "Someone else changed this course" in response.text
    with app.app_context():
        assert db.session.get(Course, course_id).title == "Changed meanwhile"


def test_status_moves_through_the_buttons(app, client, accounts, monkeypatch):
    course_id = make_course(app, make_programme(app))
    accounts.login_as(Role.ADMIN)
    page = f"/courses/{course_id}"
    response = post_form(client, f"{page}/status/open", {"version": "1"}, form_page=page)
    assert "The course is now open for enrolment." in client.get(response.headers["Location"]).text
    freeze(monkeypatch, date(2021, 1, 12))
    post_form(client, f"{page}/status/in_progress", {"version": "2"}, form_page=page)
    refused = post_form(client, f"{page}/status/completed", {"version": "3"}, form_page=page)
    text = client.get(refused.headers["Location"]).text
    assert "it can be completed only after its last day" in text
    with app.app_context():
        assert db.session.get(Course, course_id).status == "in_progress"


def test_impossible_status_move_is_refused(app, client, accounts):
    course_id = make_course(app, make_programme(app))
    accounts.login_as(Role.ADMIN)
    page = f"/courses/{course_id}"
    response = post_form(client, f"{page}/status/completed", {"version": "1"}, form_page=page)
    assert (
        "A course that is planned cannot become completed."
        in client.get(response.headers["Location"]).text
    )


def test_instructors_see_only_their_courses(app, client, accounts):
    programme_id = make_programme(app)
    me = accounts.make(Role.INSTRUCTOR)
    other = accounts.make(Role.INSTRUCTOR)
    mine = make_course(app, programme_id, code="MINE", instructor_ids=[me["id"]])
    theirs = make_course(
        app,
        programme_id,
        code="THEIRS",
        start=date(2021, 6, 1),
        holidays=(),
        instructor_ids=[other["id"]],
    )
    accounts.login(me)
    listing = client.get("/courses")
    assert "Course MINE" in listing.text
    assert "Course THEIRS" not in listing.text
    assert client.get(f"/courses/{mine}").status_code == 200
    for url in (f"/courses/{theirs}", f"/courses/{theirs}/plan", f"/courses/{theirs}/calendar.ics"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/courses/{mine}/edit").status_code == 403


@pytest.mark.parametrize("url", ["/courses", "/courses/1", "/courses/1/plan", "/programmes"])
def test_trainees_cannot_open_course_pages(app, client, accounts, url):
    make_course(app, make_programme(app))
    accounts.login_as(Role.TRAINEE)
    assert client.get(url).status_code == 403


def test_course_list_filters_by_status(app, client, accounts):
    programme_id = make_programme(app)
    make_course(app, programme_id, code="PLANNED-ONE")
    make_course(
        app, programme_id, code="OPEN-ONE", start=date(2021, 6, 1), holidays=(), statuses=["open"]
    )
    accounts.login_as(Role.ADMIN)
    text = client.get("/courses?status=open").text
    assert "Course OPEN-ONE" in text
    assert "Course PLANNED-ONE" not in text


def test_plan_calendar_greys_rest_days_and_holidays(app, client, accounts):
    course_id = make_course(app, make_programme(app))
    accounts.login_as(Role.ADMIN)
    text = client.get(f"/courses/{course_id}/plan").text
    assert 'class="plan-day plan-holiday" data-date="2021-01-20"' in text
    assert 'class="plan-day plan-rest" data-date="2021-01-17"' in text
    assert "January 2021" in text
    assert "February 2021" in text


def test_admin_moves_a_module_in_the_plan_editor(app, client, accounts):
    modules = [module("A", hours=16), module("B", hours=16)]
    course_id = make_course(app, make_programme(app, modules=modules))
    accounts.login_as(Role.ADMIN)
    url = f"/courses/{course_id}/plan/edit"
    response = post_form(
        client,
        url,
        {
            "version": "1",
            "first-A": "2021-01-11",
            "last-A": "2021-01-12",
            "first-B": "2021-02-01",
            "last-B": "2021-02-02",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        days = {
            (entry.module.code, entry.day)
            for entry in db.session.scalars(
                select(PlanEntry).where(PlanEntry.course_id == course_id)
            )
        }
    assert ("B", date(2021, 2, 1)) in days
    assert ("B", date(2021, 1, 13)) not in days


def test_plan_editor_refuses_a_module_without_room(app, client, accounts):
    modules = [module("A", hours=16), module("B", hours=16)]
    course_id = make_course(app, make_programme(app, modules=modules))
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        f"/courses/{course_id}/plan/edit",
        {
            "version": "1",
            "first-A": "2021-01-11",
            "last-A": "2021-01-11",
            "first-B": "2021-01-12",
            "last-B": "2021-01-13",
        },
    )
    assert response.status_code == 422
    assert "Module A needs 16 hours; its days leave room for only 8." in response.text


def test_calendar_file_has_one_all_day_event_per_module_block(app, client, accounts):
    modules = [module("A", hours=20), module("B", hours=12)]
    instructor = accounts.make(Role.INSTRUCTOR)
    course_id = make_course(
        app, make_programme(app, modules=modules), instructor_ids=[instructor["id"]]
    )
    accounts.login(instructor)
    response = client.get(f"/courses/{course_id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    spans = {str(e["summary"]): (e["dtstart"].dt, e["dtend"].dt) for e in events}
    # A: 8 + 8 + 4 hours on the 11th-13th; B: 4 on the 13th, 8 on the 14th.
    assert spans == {
        "A · Module A": (date(2021, 1, 11), date(2021, 1, 14)),
        "B · Module B": (date(2021, 1, 13), date(2021, 1, 15)),
    }
    again = Calendar.from_ical(client.get(f"/courses/{course_id}/calendar.ics").data)
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(e["uid"]) for e in events]


def test_calendar_file_takes_a_bearer_token(app, client, accounts):
    course_id = make_course(app, make_programme(app))
    response = client.get(f"/courses/{course_id}/calendar.ics", headers=accounts.bearer(Role.ADMIN))
    assert response.status_code == 200


def test_calendar_block_spans_a_rest_day(app, client, accounts):
    # 48 hours from Friday 2021-01-15: Fri, Sat, (Sunday rest), Mon..Thu = 6 training days.
    modules = [module("LONG", hours=48)]
    course_id = make_course(
        app,
        make_programme(app, modules=modules, duration_days=10),
        start=date(2021, 1, 15),
        holidays=(),
    )
    response = client.get(f"/courses/{course_id}/calendar.ics", headers=accounts.bearer(Role.ADMIN))
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 1
    assert events[0]["dtstart"].dt == date(2021, 1, 15)
    assert events[0]["dtend"].dt == date(2021, 1, 22)


def test_course_list_runs_a_fixed_number_of_queries(app, client, accounts, count_queries):
    programme_id = make_programme(app)
    instructor = accounts.make(Role.INSTRUCTOR)
    accounts.login_as(Role.ADMIN)

    def queries_for_list() -> int:
        with count_queries() as counter:
            assert client.get("/courses").status_code == 200
        return counter.count

    make_course(app, programme_id, code="C0", instructor_ids=[instructor["id"]])
    few = queries_for_list()
    for index in range(1, 8):
        make_course(
            app,
            programme_id,
            code=f"C{index}",
            start=date(2021, index + 1, 1),
            holidays=(),
            instructor_ids=[instructor["id"]],
        )
    assert queries_for_list() == few


def test_course_page_runs_a_fixed_number_of_queries(app, client, accounts, count_queries):
    programme_id = make_programme(app, modules=[module(f"M{i}", hours=24) for i in range(10)])
    organisation_ids = [make_organisation(app, code=f"ORG{i}") for i in range(6)]
    instructors = [accounts.make(Role.INSTRUCTOR)["id"] for _ in range(6)]
    small = make_course(
        app, programme_id, code="SMALL", instructor_ids=instructors[:1], quotas={"ORG0": 3}
    )
    large = make_course(
        app,
        programme_id,
        code="LARGE",
        start=date(2021, 6, 1),
        holidays=(date(2021, 6, 2), date(2021, 6, 3)),
        instructor_ids=instructors,
        quotas={f"ORG{i}": 3 for i in range(len(organisation_ids))},
    )
    accounts.login_as(Role.ADMIN)
    counts = []
    for course_id in (small, large):
        for url in (f"/courses/{course_id}", f"/courses/{course_id}/plan"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
    assert counts[:2] == counts[2:]


def test_a_lost_day_takes_its_hours_out_of_the_calendar_file(app, client, accounts, monkeypatch):
    """After a day was lost the plan had 16 hours of MED, and the .ics still said 24."""
    from tests.factories import freeze

    freeze(monkeypatch, date(2021, 1, 10))
    modules = [module("A", hours=24)]
    course_id = make_course(app, make_programme(app, modules=modules, duration_days=5), holidays=())
    admin = accounts.bearer(Role.ADMIN)
    url = f"/api/v1/courses/{course_id}/days/2021-01-12/cancel"
    lost = client.post(url, headers=admin, json={"reason": "Storm", "make_up": False})
    assert lost.status_code == 200, lost.text
    response = client.get(f"/courses/{course_id}/calendar.ics", headers=admin)
    descriptions = [
        str(event["description"])
        for event in Calendar.from_ical(response.data).walk("VEVENT")
        if str(event["summary"]).startswith("A ·")
    ]
    assert sum(int(text.split()[0]) for text in descriptions) == 16
