"""Calling off a training day through the API: made up or lost, and every refusal."""

from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import CancelledDay, Course
from tests.conftest import post_form
from tests.factories import freeze, make_course
from tests.scenarios.api_base import error_of
from tests.scenarios.attendance_api import bearer, enrol_all, make_setup

TODAY = date(2021, 1, 13)  # Wednesday, day 3 of AGH-1 (2021-01-11 to 2021-02-24)


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    return make_setup(app, accounts)


def cancel(client, headers, course_id, day, **body):
    body = {"reason": "Storm warning for the range", "make_up": True, **body}
    return client.post(f"/api/v1/courses/{course_id}/days/{day}/cancel", headers=headers, json=body)


def plan(client, headers, course_id) -> dict:
    answer = client.get(f"/api/v1/courses/{course_id}/plan", headers=headers)
    assert answer.status_code == 200, answer.text
    return {day["date"]: day["modules"] for day in answer.json}


def stored_days(app, course_id) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(CancelledDay).where(CancelledDay.course_id == course_id))
        return [(row.day.isoformat(), row.reason, row.made_up) for row in rows]


def test_made_up_day_moves_the_end_and_the_plan(client, accounts, setup, app):
    admin = accounts.bearer()
    before = plan(client, admin, setup.id)
    answer = cancel(client, admin, setup.id, "2021-01-15")
    assert answer.status_code == 200, answer.text
    course = answer.json
    assert course["end_date"] == "2021-02-25"
    assert "2021-01-15" not in course["training_days"]
    assert course["training_days"][-1] == "2021-02-25"
    assert course["cancelled_days"] == [
        {"date": "2021-01-15", "reason": "Storm warning for the range"}
    ]
    after = plan(client, admin, setup.id)
    assert "2021-01-15" not in after
    # What was taught on the 15th is taught on the next training day, and so on to the end.
    assert after["2021-01-16"] == before["2021-01-15"]
    assert after["2021-01-14"] == before["2021-01-14"]
    assert after["2021-02-25"] == before["2021-02-24"]
    assert stored_days(app, setup.id) == [("2021-01-15", "Storm warning for the range", True)]


def test_lost_day_keeps_the_end_and_drops_that_days_teaching(client, accounts, setup):
    admin = accounts.bearer()
    before = plan(client, admin, setup.id)
    answer = cancel(client, admin, setup.id, "2021-01-15", make_up=False)
    assert answer.status_code == 200, answer.text
    assert answer.json["end_date"] == "2021-02-24"
    assert len(answer.json["training_days"]) == len(before) - 1
    after = plan(client, admin, setup.id)
    assert "2021-01-15" not in after
    assert after["2021-01-16"] == before["2021-01-16"]


def test_cancelled_day_is_on_no_sheet_and_never_not_recorded(client, accounts, setup, app):
    admin = accounts.bearer()
    assert cancel(client, admin, setup.id, "2021-01-13").status_code == 200
    sheet = client.get(f"/api/v1/courses/{setup.id}/attendance/2021-01-13", headers=admin)
    assert "was cancelled" in error_of(sheet, 422, "validation_error")["message"]
    records = [{"trainee_id": trainee, "status": "present"} for trainee in setup.trainees]
    for day in ("2021-01-11", "2021-01-12"):
        url = f"/api/v1/courses/{setup.id}/attendance/{day}"
        assert client.put(url, headers=admin, json={"records": records}).status_code == 200
    progress = client.get(f"/api/v1/enrolments/{setup.enrolled[0]}/progress", headers=admin)
    assert progress.json["attendance_rate"] == 100.0
    assert progress.json["training_days_recorded"] == 2


def test_past_day_with_attendance_is_refused_and_nothing_changes(client, accounts, setup, app):
    admin = accounts.bearer()
    records = [{"trainee_id": trainee, "status": "present"} for trainee in setup.trainees]
    url = f"/api/v1/courses/{setup.id}/attendance/2021-01-12"
    assert client.put(url, headers=admin, json={"records": records}).status_code == 200
    answer = cancel(client, admin, setup.id, "2021-01-12")
    message = error_of(answer, 409, "conflict")["message"]
    assert "Attendance is already recorded for Jan 12, 2021" in message
    assert stored_days(app, setup.id) == []
    course = client.get(f"/api/v1/courses/{setup.id}", headers=admin).json
    assert course["end_date"] == "2021-02-24" and course["cancelled_days"] == []


def test_refusals(client, accounts, setup, app):
    admin = accounts.bearer()
    rest_day = cancel(client, admin, setup.id, "2021-01-17")  # a Sunday
    assert error_of(rest_day, 422, "validation_error")["fields"]["date"] == [
        "Jan 17, 2021 is not a training day of this course."
    ]
    blank = cancel(client, admin, setup.id, "2021-01-15", reason="   ")
    assert "reason" in error_of(blank, 422, "validation_error")["fields"]
    assert cancel(client, admin, 999999, "2021-01-15").status_code == 404
    instructor = bearer(accounts, setup.instructor)
    assert cancel(client, instructor, setup.id, "2021-01-15").status_code == 403
    assert cancel(client, admin, setup.id, "2021-01-15").status_code == 200
    again = cancel(client, admin, setup.id, "2021-01-15")
    assert error_of(again, 409, "conflict")["message"] == "Jan 15, 2021 is already cancelled."
    assert stored_days(app, setup.id) == [("2021-01-15", "Storm warning for the range", True)]


def test_a_past_day_without_attendance_is_not_called_off_afterwards(client, accounts, setup, app):
    """Cancelled afterwards, a day nobody recorded left the count of days not recorded."""
    answer = cancel(client, accounts.bearer(), setup.id, "2021-01-12")
    message = error_of(answer, 409, "conflict")["message"]
    assert message == (
        "Jan 12, 2021 is past: only today or a later training day is cancelled. Record its "
        "attendance instead."
    )
    assert stored_days(app, setup.id) == []
    assert cancel(client, accounts.bearer(), setup.id, TODAY.isoformat()).status_code == 200


def test_a_made_up_day_does_not_push_the_course_into_a_trainees_next_one(
    client, accounts, setup, app
):
    """Made up, the course ended a day later, on the first day of a course one of its
    trainees was already in: the overlap that enrolment itself refuses."""
    with app.app_context():
        programme = db.session.scalar(select(Course.programme_id).where(Course.id == setup.id))
    following = make_course(
        app, programme, code="AGH-2", start=date(2021, 2, 25), holidays=(), statuses=("open",)
    )
    enrol_all(app, following, setup.trainees[:1])
    admin = accounts.bearer()
    answer = cancel(client, admin, setup.id, "2021-01-15")
    message = error_of(answer, 409, "conflict")["message"]
    assert message == (
        "Made up, the course would end on Feb 25, 2021, but Əliyev Rauf starts course AGH-2 "
        "on Feb 25, 2021: cancel the day without making it up."
    )
    assert stored_days(app, setup.id) == []
    course = client.get(f"/api/v1/courses/{setup.id}", headers=admin).json
    assert course["end_date"] == "2021-02-24"
    assert cancel(client, admin, setup.id, "2021-01-15", make_up=False).status_code == 200


def test_extend_end_skips_rest_days_and_days_off():
    from courses.schedule import extend_end

    # Saturday 2021-01-16 + 1 training day: Sunday rests, Monday the 18th is off.
    assert extend_end(date(2021, 1, 16), 1, [6], [date(2021, 1, 18)]) == date(2021, 1, 19)
    assert extend_end(date(2021, 1, 16), 0, [6], []) == date(2021, 1, 16)


def test_the_page_says_where_the_course_ends_after_a_day_is_lost(client, accounts, setup):
    accounts.login(accounts.make())
    form = {"day": "2021-01-15", "reason": "Storm", "outcome": "lose", "confirm": "yes"}
    answer = post_form(client, f"/courses/{setup.id}/days/cancel", form, follow_redirects=True)
    assert (
        "The training day Jan 15, 2021 is cancelled and not made up: the course still ends "
        "on Feb 24, 2021." in answer.text
    )


def test_a_finished_course_offers_no_day_to_cancel(app, client, accounts, setup):
    with app.app_context():
        db.session.get(Course, setup.id).status = "completed"
        db.session.commit()
    accounts.login(accounts.make())
    plan_page = client.get(f"/courses/{setup.id}/plan").text
    assert f"/courses/{setup.id}/days/cancel" not in plan_page
    answer = client.get(f"/courses/{setup.id}/days/cancel", follow_redirects=True)
    assert answer.request.path == f"/courses/{setup.id}/plan"
    assert "Course AGH-1 is completed or cancelled: its days cannot change." in answer.text


def test_the_page_cancels_nothing_until_the_box_is_ticked(app, client, accounts, setup):
    """A cancelled day cannot be brought back: one click on the red button is not enough."""
    accounts.login(accounts.make())
    form = {"day": "2021-01-15", "reason": "Storm", "outcome": "make_up"}
    answer = post_form(client, f"/courses/{setup.id}/days/cancel", form)
    assert answer.status_code == 422
    assert "Nothing was changed: tick the box to confirm first." in answer.text
    assert stored_days(app, setup.id) == []
