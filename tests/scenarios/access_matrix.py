"""Shared by several test modules; first written for tests/test_access_matrix.py."""

import re
from datetime import date

from sqlalchemy import select

from auth.password_resets import create_reset_link
from extensions import db
from models import Enrolment, ModuleResult
from models.account import Role, User
from models.certificate import Certificate
from tests.conftest import csrf_token_in
from tests.scenarios.certificates_api import make_graduates
from tests.scenarios.emblems import png_bytes

ANON, TRAINEE, OTHER_TRAINEE = "anonymous", "trainee", "other trainee"


INSTRUCTOR, OTHER_INSTRUCTOR, ADMIN = "instructor", "other instructor", "administrator"


PERSONAS = (ANON, TRAINEE, OTHER_TRAINEE, INSTRUCTOR, OTHER_INSTRUCTOR, ADMIN)


WRITES = {"POST", "PUT", "PATCH", "DELETE"}


# Bodies that pass validation, so a check made after loading the record is reached.
API_BODIES = {
    "Attendance.AttendanceSheetResource": {"records": []},
    "Results.ModuleAttempts": {"assessed_on": "2021-01-15", "passed": True},
    "Results.AttemptById": {"version": 1},
    "Days off.CancelDay": {"reason": "Storm", "make_up": False},
}


# Parameters whose name means something else on these routes.
PARAMETERS = {"language.switch_language": {"code": "az"}}


# A page every signed-in role can open, with the sign-out form's CSRF token.
HOME = {TRAINEE: "/me", OTHER_TRAINEE: "/me", INSTRUCTOR: "/instructor"}
HOME[OTHER_INSTRUCTOR] = "/instructor"


def build_scenario(app, accounts, monkeypatch):
    """A finished course, its instructor, two graduates with certificates, two outsiders."""
    instructor = accounts.make(Role.INSTRUCTOR, full_name="Course Instructor")
    other_instructor = accounts.make(Role.INSTRUCTOR, full_name="Other Instructor")
    setup = make_graduates(app, accounts, monkeypatch, instructor_ids=[instructor["id"]])
    trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    other_trainee = accounts.make(Role.TRAINEE)  # a trainee of no course
    issued = app.test_client().post(
        f"/api/v1/courses/{setup.course_id}/certificates", headers=setup.headers
    )
    assert issued.status_code == 200, issued.text
    with app.app_context():
        enrolment = db.session.get(Enrolment, setup.enrolments[0])
        certificate = db.session.scalar(
            select(Certificate).where(Certificate.enrolment_id == enrolment.id)
        )
        organisation = enrolment.trainee.organisation  # with an emblem to fetch
        organisation.emblem, organisation.emblem_type = png_bytes(), "image/png"
        db.session.commit()
        result_id = db.session.scalar(
            select(ModuleResult.id).where(ModuleResult.enrolment_id == enrolment.id).limit(1)
        )
        someone = db.session.get(User, trainee["id"])
        reset_token, _expires = create_reset_link(someone, someone)  # made by anyone will do
        db.session.commit()
        values = {
            "token": reset_token,
            "course_id": setup.course_id,
            "day": date(2021, 1, 11),
            "enrolment_id": enrolment.id,
            "module_code": "A",
            "result_id": result_id,
            "number": certificate.number,
            "code": certificate.verification_code,
            "trainee_id": enrolment.trainee_id,
            "user_id": trainee["id"],
            "organisation_id": enrolment.trainee.organisation_id,
            "programme_id": enrolment.course.programme_id,
            "status": "in_progress",
        }
    people = {
        TRAINEE: trainee,
        OTHER_TRAINEE: other_trainee,
        INSTRUCTOR: instructor,
        OTHER_INSTRUCTOR: other_instructor,
        ADMIN: setup.admin,
    }
    return values, people


class Persona:
    """One browser (signed in through the form) and one bearer token, or neither."""

    def __init__(self, app, accounts, name, account):
        self.name, self.client, self.headers = name, app.test_client(), {}
        if account is None:
            self.csrf = csrf_token_in(self.client.get("/login").text)
            return
        assert accounts.login(account, client=self.client).status_code == 302
        self.headers = {"Authorization": f"Bearer {accounts.token(account)}"}
        self.csrf = csrf_token_in(self.client.get(HOME.get(name, "/admin")).text)

    def send(self, method, path, endpoint):
        if path.startswith("/api/"):
            body = API_BODIES.get(endpoint, {}) if method in WRITES else None
            return self.client.open(path, method=method, headers=self.headers, json=body)
        data = {"csrf_token": self.csrf} if method in WRITES else None
        return self.client.open(path, method=method, data=data)


def to_login(response) -> bool:
    return response.status_code == 302 and re.match(
        r"(https?://[^/]+)?/login", response.headers.get("Location", "")
    )
