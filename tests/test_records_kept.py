"""Rules that keep records from being lost: a certified course stays, assessed modules stay."""

from sqlalchemy import select

from extensions import db
from models import Course, Module, Programme
from tests.scenarios.api_base import error_of
from tests.scenarios.certificates_api import issue, make_graduates


def test_a_course_with_certificates_cannot_be_cancelled(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch)
    assert issue(client, setup).status_code == 201
    with app.app_context():
        version = db.session.get(Course, setup.course_id).version
    response = client.patch(
        f"/api/v1/courses/{setup.course_id}",
        headers=setup.headers,
        json={"version": version, "status": "cancelled"},
    )
    body = error_of(response, 409, "conflict")
    assert (
        body["message"] == "Certificates have been issued for this course: it cannot be cancelled."
    )
    with app.app_context():
        assert db.session.get(Course, setup.course_id).status != "cancelled"


def test_a_programme_keeps_its_modules_that_have_results(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch)
    with app.app_context():
        programme = db.session.scalar(select(Programme))
        document = client.get(f"/api/v1/programmes/{programme.id}", headers=setup.headers).json
    without_a = [module for module in document["modules"] if module["code"] != "A"]
    response = client.patch(
        f"/api/v1/programmes/{document['id']}",
        headers=setup.headers,
        json={"version": document["version"], "modules": without_a},
    )
    body = error_of(response, 409, "conflict")
    assert body["message"] == "Modules with recorded results cannot be removed: A."
    with app.app_context():
        assert {m.code for m in db.session.scalars(select(Module))} == {"A", "B"}
