"""A course's capacity and quotas cannot be lowered below the seats already taken."""

import re

import pytest
from sqlalchemy import select

from extensions import db
from models import Course, CourseQuota, Organisation
from models.account import Role
from tests.conftest import csrf_token_in
from tests.factories import make_course, make_organisation, make_programme, make_trainee
from trainees.enrolment import enrol, withdraw


@pytest.fixture
def course(app):
    """Three seats taken (two of AZ-MES), a fourth trainee withdrawn, quota AZ-MES 5."""
    organisation_id = make_organisation(app, "AZ-MES")
    course_id = make_course(app, make_programme(app), capacity=10, quotas={"AZ-MES": 5})
    people = [make_trainee(app, "AZ-MES") for _ in range(2)] + [
        make_trainee(app, "RU-MCHS") for _ in range(2)
    ]
    with app.app_context():
        course = db.session.get(Course, course_id)
        enrolments = [enrol(course, trainee_id) for trainee_id in people]
        db.session.flush()
        withdraw(enrolments[-1], "Left the service.", on=course.start_date)
        db.session.commit()
    return {"id": course_id, "organisation_id": organisation_id}


def stored(app, course_id):
    with app.app_context():
        course = db.session.get(Course, course_id)
        quotas = {quota.organisation.code: quota.max_trainees for quota in course.quotas}
        return course.capacity, quotas, course.version


def patch(client, headers, course_id, changes):
    version = client.get(f"/api/v1/courses/{course_id}", headers=headers).json["version"]
    return client.patch(
        f"/api/v1/courses/{course_id}", headers=headers, json={"version": version, **changes}
    )


def test_api_refuses_a_capacity_below_the_seats_taken(app, client, accounts, course):
    admin = accounts.bearer(Role.ADMIN)
    response = patch(client, admin, course["id"], {"capacity": 2})
    assert response.status_code == 409
    message = "3 seats are already taken: the capacity cannot be lower."
    assert response.json["error"] == {
        "code": "conflict",
        "message": message,
        "fields": {"capacity": [message]},
    }
    assert stored(app, course["id"])[:2] == (10, {"AZ-MES": 5})


def test_api_takes_a_capacity_down_to_the_seats_taken(app, client, accounts, course):
    admin = accounts.bearer(Role.ADMIN)
    response = patch(client, admin, course["id"], {"capacity": 3})
    assert response.status_code == 200, response.text
    assert stored(app, course["id"])[0] == 3


def test_api_refuses_a_quota_below_the_organisations_seats(app, client, accounts, course):
    admin = accounts.bearer(Role.ADMIN)
    response = patch(client, admin, course["id"], {"quotas": {"AZ-MES": 1}})
    assert response.status_code == 409
    message = "AZ-MES already holds 2 seats: its quota cannot be lower."
    assert response.json["error"]["fields"] == {"quotas.AZ-MES": [message]}
    assert stored(app, course["id"])[:2] == (10, {"AZ-MES": 5})
    # A quota for an organisation whose trainees hold no seat may be anything.
    assert patch(client, admin, course["id"], {"quotas": {"AZ-MES": 2}}).status_code == 200
    assert stored(app, course["id"])[1] == {"AZ-MES": 2}


def test_one_seat_is_named_in_the_singular(app, client, accounts, course):
    with app.app_context():
        other = db.session.scalar(select(Organisation).where(Organisation.code == "RU-MCHS"))
        other_id = other.id
    admin = accounts.bearer(Role.ADMIN)
    response = patch(client, admin, course["id"], {"quotas": {"AZ-MES": 5, "RU-MCHS": 0}})
    assert response.status_code == 409
    message = "RU-MCHS already holds 1 seat: its quota cannot be lower."
    assert response.json["error"]["fields"] == {"quotas.RU-MCHS": [message]}
    with app.app_context():
        assert (
            db.session.scalar(select(CourseQuota).where(CourseQuota.organisation_id == other_id))
            is None
        )


def test_the_form_says_next_to_each_field_how_many_seats_are_taken(app, client, accounts, course):
    accounts.login_as(Role.ADMIN)
    url = f"/courses/{course['id']}/edit"
    page = client.get(url).text
    with app.app_context():
        saved = db.session.get(Course, course["id"])
        values = {
            "csrf_token": csrf_token_in(page),
            "version": str(saved.version),
            "programme_id": str(saved.programme_id),
            "code": saved.code,
            "title": saved.title,
            "start_date": saved.start_date.isoformat(),
            "location": saved.location,
            "holidays": "\n".join(holiday.day.isoformat() for holiday in saved.holidays),
            "capacity": "2",
            f"quota_{course['organisation_id']}": "1",
        }
    before = stored(app, course["id"])
    response = client.post(url, data=values)
    assert response.status_code == 422
    capacity = re.search(r'id="capacity-errors">(.*?)</div>\s*</div>', response.text, re.S)
    assert "3 seats are already taken: the capacity cannot be lower." in capacity.group(1)
    quota_id = f"quota_{course['organisation_id']}-errors"
    quota = re.search(rf'id="{quota_id}">(.*?)</div>\s*</div>', response.text, re.S)
    assert "AZ-MES already holds 2 seats: its quota cannot be lower." in quota.group(1)
    assert stored(app, course["id"]) == before
    with app.app_context():
        quotas = db.session.scalars(select(CourseQuota)).all()
        assert [(q.organisation_id, q.max_trainees) for q in quotas] == [
            (db.session.scalar(select(Organisation.id).where(Organisation.code == "AZ-MES")), 5)
        ]
