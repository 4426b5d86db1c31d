"""Import with enrolment: every imported trainee enrolled in the same all-or-nothing step."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Course, Enrolment, Trainee
from models.account import Role
from tests.factories import make_course, make_programme
from tests.scenarios.api_base import error_of
from tests.scenarios.import_api import GOOD, IMPORT, csv_bytes, setting, stored, xlsx_bytes


def upload(client, headers, content: bytes, filename: str, course_id):
    data = {"file": (io.BytesIO(content), filename), "course_id": str(course_id)}
    return client.post(IMPORT, headers=headers, data=data, content_type="multipart/form-data")


@pytest.fixture(autouse=True)
def organisations(app, monkeypatch):
    """The same organisations and day as the import's own tests."""
    setting(app, monkeypatch)


@pytest.fixture
def admin(accounts):
    return accounts.bearer(Role.ADMIN)


@pytest.fixture
def course_id(app):
    return make_course(app, make_programme(app), start=date(2021, 2, 1), holidays=())


def enrolled_in(app, course_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Trainee.personal_number)
                .join(Enrolment, Enrolment.trainee_id == Trainee.id)
                .where(Enrolment.course_id == course_id)
                .order_by(Trainee.personal_number)
            )
        )


def count_trainees(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Trainee.id)))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_imported_trainee_is_enrolled(app, client, admin, course_id, kind):  # noqa: F811
    content = csv_bytes(GOOD) if kind == "csv" else xlsx_bytes(GOOD)
    response = upload(client, admin, content, f"trainees.{kind}", course_id)
    assert response.status_code == 201, response.text
    assert response.json == {"created": 3, "enrolled": 3}
    assert enrolled_in(app, course_id) == ["AZ-0001", "RU-0001", "RU-0002"]


def test_a_refused_enrolment_is_a_row_error_and_nothing_is_kept(
    app,
    client,
    admin,  # noqa: F811
):
    programme = make_programme(app)
    small = make_course(app, programme, start=date(2021, 2, 1), holidays=(), capacity=2)
    response = upload(client, admin, csv_bytes(GOOD), "trainees.csv", small)
    body = error_of(response, 422, "validation_error")
    assert body["message"] == "Nothing was imported: 1 trainee cannot be enrolled in AGH-1."
    assert body["errors"] == [
        {
            "row": 4,
            "field": "course_id",
            "message": "The course is full: all 2 seats are taken.",
        }
    ]
    assert stored(app) == [] and count_trainees(app) == 0
    assert enrolled_in(app, small) == []


def test_row_errors_of_the_file_come_before_enrolment(app, client, admin, course_id):  # noqa: F811
    bad = [*GOOD[:2], ["AZ-MES", "AZ-0009", "leytenant", "", "", "1990-01-02", "", "2030-01-01"]]
    response = upload(client, admin, csv_bytes(bad), "trainees.csv", course_id)
    body = error_of(response, 422, "validation_error")
    assert {"row": 4, "field": "full_name", "message": "This field is required."} in body["errors"]
    assert count_trainees(app) == 0 and enrolled_in(app, course_id) == []


def test_an_unknown_course_is_refused_and_nothing_imported(app, client, admin):  # noqa: F811
    response = upload(client, admin, csv_bytes(GOOD), "trainees.csv", 999_999)
    body = error_of(response, 422, "validation_error")
    assert body["fields"] == {"course_id": ["There is no course number 999999."]}
    assert count_trainees(app) == 0


def test_a_completed_course_refuses_every_row(app, client, admin, course_id):  # noqa: F811
    with app.app_context():
        db.session.get(Course, course_id).status = "cancelled"
        db.session.commit()
    response = upload(client, admin, csv_bytes(GOOD), "trainees.csv", course_id)
    body = error_of(response, 422, "validation_error")
    assert [error["row"] for error in body["errors"]] == [2, 3, 4]
    assert count_trainees(app) == 0


def test_a_course_id_that_is_not_a_number_is_refused(app, client, admin):  # noqa: F811
    response = upload(client, admin, csv_bytes(GOOD), "trainees.csv", "seven")
    body = error_of(response, 422, "validation_error")
    assert body["fields"] == {"course_id": ["Not a valid integer."]}
    assert count_trainees(app) == 0
