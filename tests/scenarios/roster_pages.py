"""Shared by several test modules; first written for tests/test_roster_pages.py."""

import html
import re

from sqlalchemy import select

from extensions import db
from models import Course, Enrolment
from tests.factories import make_course, make_organisation, make_programme
from trainees.enrolment import enrol


def course_with_organisations(app, **values) -> int:
    make_organisation(app, code="AZ-FHN")
    make_organisation(app, code="RU-MCHS", country="RU", language="ru")
    return make_course(app, make_programme(app), **values)


def enrolled(app, course_id, *trainee_ids) -> list[int]:
    with app.app_context():
        course = db.session.get(Course, course_id)
        ids = [enrol(course, trainee_id).id for trainee_id in trainee_ids]
        db.session.commit()
        return ids


def enrolment_of(app, trainee_id) -> Enrolment | None:
    with app.app_context():
        return db.session.scalar(select(Enrolment).where(Enrolment.trainee_id == trainee_id))


def flashed(client, response) -> str:
    assert response.status_code == 302, response.status_code
    page = client.get(response.headers["Location"]).text
    return " ".join(html.unescape(m) for m in re.findall(r'role="alert">([^<]*)<', page))
