"""The demo's organisations, programme, courses, trainees and accounts."""

from datetime import date, timedelta

from sqlalchemy import select

from auth.accounts import create_user, find_user_by_email
from core import clock
from courses.courses import change_status, create_course
from courses.programmes import create_programme
from demo.data import (
    ACCOUNTS,
    AZ_FIRST,
    AZ_LAST,
    AZ_RANKS,
    INSTRUCTOR_ORGANISATIONS,
    MODULE_KEYS,
    ORGANISATIONS,
    PROGRAMME,
    ROSTERS,
    RU_NAMES,
    RU_RANKS,
)
from extensions import db
from models import Course, CourseStatus, Organisation, Programme
from models.trainee import Trainee
from trainees.enrolment import enrol
from trainees.registry import create_trainee


def seed_organisations() -> None:
    for values in ORGANISATIONS:
        exists = db.session.scalar(select(Organisation).where(Organisation.code == values["code"]))
        if exists is None:
            db.session.add(Organisation(**values))
    db.session.flush()


def seed_programme() -> Programme:
    programme = db.session.scalar(select(Programme).where(Programme.code == PROGRAMME["code"]))
    if programme is None:
        modules = [dict(zip(MODULE_KEYS, row, strict=True)) for row in PROGRAMME["modules"]]
        programme = create_programme({**PROGRAMME, "modules": modules})
    return programme


def seed_courses(programme: Programme) -> None:
    """The 2021 course of the article, and one running now (started three weeks ago)."""
    instructor_ids = [find_user_by_email(email).id for email in INSTRUCTOR_ORGANISATIONS]
    quotas = {"AZ-MES": 16, "RU-EMERCOM": 8}
    today = clock.today()
    courses = [
        (
            {
                "code": "AGH-2021-01",
                "title": "Joint demining course, Aghdam",
                "start_date": date(2021, 1, 11),
                "holidays": [date(2021, 1, 20)],  # 20 January, the Day of National Mourning
            },
            [CourseStatus.OPEN, CourseStatus.IN_PROGRESS, CourseStatus.COMPLETED],
        ),
        (
            {
                "code": "AGH-CURRENT",
                "title": "Joint demining course, Aghdam (current intake)",
                "start_date": today - timedelta(days=21),
                "holidays": [],
            },
            [CourseStatus.OPEN, CourseStatus.IN_PROGRESS],
        ),
    ]
    for values, moves in courses:
        if db.session.scalar(select(Course.id).where(Course.code == values["code"])):
            continue
        course = create_course(
            {
                **values,
                "programme_id": programme.id,
                "location": "Aghdam region training ground",
                "capacity": 24,
                "quotas": quotas,
                "instructor_ids": instructor_ids,
            }
        )
        change_status(course, CourseStatus.OPEN)
        enrol_roster(course)
        for status in moves[1:]:
            change_status(course, status)
    db.session.flush()


def enrol_roster(course: Course) -> None:
    """The demo roster of a course, through the enrolment rules."""
    for course_code, organisation_code, first, count in ROSTERS:
        if course_code != course.code:
            continue
        prefix, base = ("FHN", 1000) if organisation_code == "AZ-MES" else ("EM", 2000)
        for index in range(first, first + count):
            enrol(course, _trainee_id(organisation_code, f"{prefix}-{base + index}"))


def _trainee_id(organisation_code: str, personal_number: str) -> int:
    return db.session.scalar(
        select(Trainee.id)
        .join(Organisation, Organisation.id == Trainee.organisation_id)
        .where(Organisation.code == organisation_code, Trainee.personal_number == personal_number)
    )


def _demo_trainee(organisation: Organisation, index: int) -> dict:
    if organisation.code == "AZ-MES":
        # Index 16 is Əli Məmmədov, the trainee whose login the demo prints.
        name = f"{AZ_FIRST[index % len(AZ_FIRST)]} {AZ_LAST[(index * 7 + 3) % len(AZ_LAST)]}"
        if index == 16:
            name = "Əli Məmmədov"
        number, rank = f"FHN-{1000 + index}", AZ_RANKS[index % 4]
    else:
        name, number = RU_NAMES[index % len(RU_NAMES)], f"EM-{2000 + index}"
        rank = RU_RANKS[index % 4]
    return {
        "organisation_id": organisation.id,
        "personal_number": number,
        "rank": rank,
        "full_name": name,
        "full_name_latin": "",
        "date_of_birth": date(1990 + index % 8, 1 + index % 12, 1 + index % 27),
        "email": None,
        "medical_clearance_until": date(2028, 6, 30),
    }


def seed_trainees() -> None:
    """The trainees of both courses (24 in 2021, 12 in the current intake)."""
    organisations = {o.code: o for o in db.session.scalars(select(Organisation))}
    for _course, code, first, count in ROSTERS:
        for index in range(first, first + count):
            values = _demo_trainee(organisations[code], index)
            if _trainee_id(code, values["personal_number"]) is None:
                create_trainee(values)


def seed_accounts() -> list[tuple[dict, bool]]:
    """The demo accounts, each with whether it was created now."""
    seeded = []
    for values in ACCOUNTS:
        created = find_user_by_email(values["email"]) is None
        if created:
            user = create_user(
                **{key: value for key, value in values.items() if key != "trainee"},
                trainee_id=_trainee_id(*values["trainee"]) if "trainee" in values else None,
            )
            if code := INSTRUCTOR_ORGANISATIONS.get(values["email"]):
                user.organisation = db.session.scalar(
                    select(Organisation).where(Organisation.code == code)
                )
        seeded.append((values, created))
    return seeded
