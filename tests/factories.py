"""Small factories: records made through the real services, committed."""

import os
from datetime import UTC, date, datetime

from sqlalchemy import select

from courses.courses import change_status, create_course
from courses.organisations import create_organisation
from courses.programmes import create_programme
from extensions import db
from models import Organisation
from trainees.registry import create_trainee


def freeze(monkeypatch, *when) -> None:
    """Stop core.clock at a moment: a date (08:00 UTC that day), a datetime, or its parts.

    The one way tests move the clock: scenario builders that take the test's monkeypatch
    call this, tests use the `clock_at` fixture of conftest.py.
    """
    if len(when) == 1 and isinstance(when[0], datetime):
        moment = when[0]
    elif len(when) == 1 and isinstance(when[0], date):
        moment = datetime(when[0].year, when[0].month, when[0].day, 8, tzinfo=UTC)
    else:
        moment = datetime(*when, tzinfo=UTC)
    monkeypatch.setattr("core.clock.now", lambda: moment)


def module(code, hours=8, kind="theory", pass_mark=70, prerequisites=(), mandatory=True):
    return {
        "code": code,
        "title": f"Module {code}",
        "hours": hours,
        "kind": kind,
        "pass_mark": pass_mark if kind == "theory" else None,
        "mandatory": mandatory,
        "prerequisites": list(prerequisites),
    }


def make_organisation(app, code="AZ-MES", country="AZ", language="az") -> int:
    with app.app_context():
        organisation = create_organisation(
            {"code": code, "name": f"Ministry {code}", "country": country, "language": language}
        )
        db.session.commit()
        return organisation.id


def make_trainee(app, organisation_code="TEST-ORG", **values) -> int:
    """A trainee (and, when missing, the organisation they belong to)."""
    with app.app_context():
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.code == organisation_code)
        )
        if organisation is None:
            organisation = create_organisation(
                {
                    "code": organisation_code,
                    "name": organisation_code,
                    "country": "AZ",
                    "language": "az",
                }
            )
        number = values.pop("personal_number", f"P-{os.urandom(4).hex()}")
        trainee = create_trainee(
            {
                "organisation_id": organisation.id,
                "personal_number": number,
                "rank": "leytenant",
                "full_name": values.pop("full_name", f"Trainee {number}"),
                "full_name_latin": values.pop("full_name_latin", ""),
                "date_of_birth": values.pop("date_of_birth", date(1995, 5, 17)),
                "email": values.pop("email", None),
                "medical_clearance_until": values.pop("medical_clearance_until", date(2030, 1, 1)),
                **values,
            }
        )
        db.session.commit()
        return trainee.id


def make_programme(app, code="EOD-1", modules=None, **values) -> int:
    """By default ten 30-hour modules: 300 hours, 38 training days at 8 hours a day."""
    with app.app_context():
        programme = create_programme(
            {
                "code": code,
                "title": f"Programme {code}",
                "qualification": "EOD Level 1",
                "modules": modules or [module(f"M{i}", hours=30) for i in range(1, 11)],
                **values,
            }
        )
        db.session.commit()
        return programme.id


def make_course(
    app,
    programme_id,
    code="AGH-1",
    start=date(2021, 1, 11),
    holidays=(date(2021, 1, 20),),
    instructor_ids=(),
    statuses=(),
    **values,
) -> int:
    with app.app_context():
        course = create_course(
            {
                "programme_id": programme_id,
                "code": code,
                "title": f"Course {code}",
                "start_date": start,
                "location": "Aghdam",
                "capacity": 24,
                "holidays": list(holidays),
                "instructor_ids": list(instructor_ids),
                **values,
            }
        )
        for status in statuses:
            change_status(course, status)
        db.session.commit()
        return course.id
