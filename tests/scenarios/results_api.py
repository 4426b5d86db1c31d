"""Shared by several test modules; first written for tests/test_results_api.py."""

from types import SimpleNamespace

from sqlalchemy import select

from extensions import db
from models import Course, Module, ModuleResult
from models.account import Role
from tests.factories import make_course, make_programme, make_trainee, module
from trainees.enrolment import enrol

INSTRUCTOR = "Rəşad Quliyev"


NAMES = [("Əliyev Rauf", "Aliyev Rauf"), ("Babayev Elçin", "Babayev Elchin")]


MODULES = [
    module("T1", hours=16, pass_mark=70),  # scored, pass mark 70
    module("P1", hours=16, kind="practical", prerequisites=["T1"]),  # pass/fail, needs T1
    module("F1", hours=8, kind="field", mandatory=False),  # pass/fail, optional
]


def make_setup(app, accounts, names=NAMES, modules=MODULES, programme=None, **course_values):
    """A course taught by Rəşad Quliyev with these trainees enrolled."""
    instructor = accounts.make(Role.INSTRUCTOR, full_name=INSTRUCTOR)
    programme_id = make_programme(app, modules=modules, **(programme or {}))
    values = {"statuses": ("open", "in_progress"), **course_values}
    course_id = make_course(app, programme_id, instructor_ids=[instructor["id"]], **values)
    trainees = [
        make_trainee(app, org[0] if org else "AZ-MES", full_name=full, full_name_latin=latin)
        for full, latin, *org in names
    ]
    with app.app_context():
        course = db.session.get(Course, course_id)
        enrolled = [enrol(course, trainee_id).id for trainee_id in trainees]
        db.session.commit()
    headers = bearer(accounts, instructor)
    return SimpleNamespace(
        id=course_id, instructor=instructor, headers=headers, trainees=trainees, enrolled=enrolled
    )


def bearer(accounts, account) -> dict:
    return {"Authorization": f"Bearer {accounts.token(account)}"}


def attempt(client, headers, enrolment_id, code, **body):
    body.setdefault("assessed_on", "2021-01-14")
    url = f"/api/v1/enrolments/{enrolment_id}/results/{code}"
    return client.post(url, headers=headers, json=body)


def stored(app, enrolment_id) -> list[tuple]:
    """(module, attempt, score, passed, assessed_on) of every attempt, as the database holds it."""
    with app.app_context():
        columns = [getattr(ModuleResult, name) for name in ("attempt", "score", "passed")]
        rows = db.session.execute(
            select(Module.code, *columns, ModuleResult.assessed_on)
            .join(Module, Module.id == ModuleResult.module_id)
            .where(ModuleResult.enrolment_id == enrolment_id)
            .order_by(Module.code, ModuleResult.attempt)
        )
        return [tuple(row) for row in rows]
