"""Input that lies: duplicate JSON keys, dates beyond the register's years."""

from datetime import date

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Course, Role
from tests.conftest import post_form
from tests.factories import make_course, make_programme


def courses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Course))


def course_body(programme_id: int, start: str) -> dict:
    return {
        "programme_id": programme_id,
        "code": "FAR-1",
        "title": "Far future",
        "start_date": start,
        "location": "Aghdam",
        "capacity": 10,
    }


def test_duplicate_json_keys_are_refused(app, client, accounts):
    headers = {**accounts.bearer(Role.ADMIN), "Content-Type": "application/json"}
    programme_id = make_programme(app)
    body = (
        f'{{"programme_id": {programme_id}, "code": "DUP-1", "title": "A", "title": "B", '
        '"start_date": "2030-01-07", "location": "Aghdam", "capacity": 10}'
    )
    answer = client.post("/api/v1/courses", headers=headers, data=body)
    assert answer.status_code == 422, answer.text
    assert answer.json["error"]["code"] == "validation_error"
    assert answer.json["error"]["fields"] == {
        "title": ["This key appears more than once in the body."]
    }
    assert courses(app) == 0


def test_nested_duplicate_keys_are_refused_too(app, client, accounts):
    headers = {**accounts.bearer(Role.ADMIN), "Content-Type": "application/json"}
    body = '{"email": "a@example.org", "password": "x", "password": "y"}'
    answer = client.post("/api/v1/tokens", headers=headers, data=body)
    assert answer.status_code == 422


@pytest.mark.parametrize("start", ["2200-12-01", "1999-12-31"])
def test_a_course_beyond_the_register_years_is_refused_by_the_api(app, client, accounts, start):
    programme_id = make_programme(app)
    answer = client.post(
        "/api/v1/courses",
        headers=accounts.bearer(Role.ADMIN),
        json=course_body(programme_id, start),
    )
    assert answer.status_code == 422, answer.text
    (message,) = answer.json["error"]["fields"]["start_date"]
    assert "between the years 2000 and 2200" in message
    assert courses(app) == 0


def test_a_course_beyond_the_register_years_is_refused_by_the_form(app, client, accounts):
    programme_id = make_programme(app)
    accounts.login_as(Role.ADMIN)
    page = post_form(
        client,
        "/courses/new",
        {
            "programme_id": str(programme_id),
            "code": "FAR-1",
            "title": "Far future",
            "start_date": "2200-12-01",
            "location": "Aghdam",
            "capacity": "10",
        },
    )
    assert page.status_code == 422
    assert "between the years 2000 and 2200" in page.text
    assert courses(app) == 0


START = "2200-12-20"


def test_moving_a_course_past_the_last_year_is_refused(app, client, accounts):
    course_id = make_course(app, make_programme(app), start=date(2030, 1, 7), holidays=())
    headers = accounts.bearer(Role.ADMIN)
    course = client.get(f"/api/v1/courses/{course_id}", headers=headers).json
    answer = client.patch(
        f"/api/v1/courses/{course_id}",
        headers=headers,
        json={"version": course["version"], "start_date": START},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json["error"]["fields"]["start_date"] == [
        "The course would run from Dec 20, 2200 to Feb 2, 2201; dates must be between the "
        "years 2000 and 2200."
    ]


def test_moving_a_course_beyond_its_old_end_date_works(app, client, accounts):
    course_id = make_course(app, make_programme(app), start=date(2030, 1, 7), holidays=())
    headers = accounts.bearer(Role.ADMIN)
    course = client.get(f"/api/v1/courses/{course_id}", headers=headers).json
    answer = client.patch(
        f"/api/v1/courses/{course_id}",
        headers=headers,
        json={"version": course["version"], "start_date": "2031-01-06"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json["start_date"] == "2031-01-06"


@pytest.mark.parametrize(
    "url",
    [
        "/courses?page=99999999999999999999",
        "/certificates/expiring?page=99999999999999999999",
        "/trainees?page=99999999999999999999",
        "/audit?since=0001-01-01",
        "/audit?until=9999-12-31",
        "/audit?since=0001-01-01&until=9999-12-31&page=99999999999999999999",
    ],
)
def test_numbers_and_dates_at_the_ends_of_their_range_give_a_page_not_a_crash(
    app, client, accounts, url
):
    accounts.login(accounts.make(Role.ADMIN))
    answer = client.get(url)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.mimetype == "text/html"
