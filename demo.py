"""`flask seed-demo`: the demo of the joint course in the Aghdam region.

It spans every package, so it sits above them all. Idempotent: what exists is
left as it is (an administrator's changes survive), what is missing is added.
The demo passwords are public (they are in the README): never seed a
production database.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from auth.models import Role
from auth.operations import create_user, find_user_by_email
from core import clock
from courses.models import (
    AttendanceRecord,
    AttendanceSheet,
    AttendanceStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    ModuleResult,
    Organisation,
    Programme,
)
from courses.operations import change_status, create_course
from courses.plans import course_training_days
from courses.programmes import create_programme
from courses.results import record_results, refusal_for, results_of
from extensions import db
from trainees.certificates.issuing import issue_course, reissue, revoke
from trainees.certificates.models import Certificate
from trainees.enrolment import enrol
from trainees.models import Trainee
from trainees.registry import create_trainee

ORGANISATIONS = [
    {
        "code": "AZ-MES",
        "name": "Ministry of Emergency Situations of the Republic of Azerbaijan",
        "country": "AZ",
        "language": "az",
    },
    {
        "code": "RU-EMERCOM",
        "name": "EMERCOM of Russia",
        "country": "RU",
        "language": "ru",
    },
]

PROGRAMME = {
    "code": "EOD-1",
    "title": "Humanitarian demining and UXO clearance",
    "qualification": "EOD Level 1",
    "modules": [
        # code, title, hours, kind, pass mark, mandatory, prerequisites
        ("SAFE", "Safety and IMAS rules", 16, "theory", 70, True, []),
        ("RECOG", "Mine and UXO recognition", 40, "theory", 75, True, ["SAFE"]),
        ("DETECT", "Detector operation", 32, "practical", None, True, ["SAFE"]),
        ("DRILL", "Manual demining drills", 48, "practical", None, True, ["RECOG", "DETECT"]),
        ("BAC", "Battle-area clearance", 40, "field", None, True, ["DRILL"]),
        ("DEMO", "Demolition procedures", 32, "practical", None, True, ["RECOG"]),
        ("MED", "First aid and casualty evacuation", 24, "practical", None, True, []),
        ("MARK", "Marking and reporting", 16, "theory", 70, True, ["RECOG"]),
        ("NTS", "Non-technical survey", 16, "theory", 60, False, ["MARK"]),
        ("FFX", "Final field exercise", 32, "field", None, True, ["BAC", "DEMO", "MED"]),
    ],
}
MODULE_KEYS = ("code", "title", "hours", "kind", "pass_mark", "mandatory", "prerequisites")

AZ_FIRST = [
    "Əli",
    "Rəşad",
    "Elvin",
    "Orxan",
    "Tural",
    "Kamran",
    "Samir",
    "Ramil",
    "Nicat",
    "Fərid",
    "Vüsal",
    "Elşən",
    "Ceyhun",
    "Anar",
    "Murad",
    "Rauf",
    "Emin",
    "İlkin",
    "Şahin",
    "Zaur",
    "Elnur",
    "Cavid",
    "Rövşən",
    "Namiq",
]
AZ_LAST = [
    "Məmmədov",
    "Əliyev",
    "Həsənov",
    "Hüseynov",
    "Quliyev",
    "İsmayılov",
    "Abbasov",
    "Cəfərov",
    "Rəhimov",
    "Nəsirov",
    "Bağırov",
    "Kərimov",
    "Sadıqov",
    "Orucov",
    "Əsgərov",
    "Musayev",
    "Qasımov",
    "Vəliyev",
    "İbrahimov",
    "Salmanov",
    "Babayev",
    "Zeynalov",
    "Novruzov",
    "Şükürov",
]
AZ_RANKS = ["leytenant", "baş leytenant", "kapitan", "gizir"]
RU_NAMES = [
    "Алексей Смирнов",
    "Дмитрий Иванов",
    "Сергей Кузнецов",
    "Андрей Попов",
    "Николай Соколов",
    "Михаил Лебедев",
    "Игорь Козлов",
    "Павел Новиков",
    "Юрий Морозов",
    "Олег Петров",
    "Виктор Волков",
    "Евгений Соловьёв",
]
RU_RANKS = ["лейтенант", "старший лейтенант", "капитан", "прапорщик"]
# Who is on which demo course: (course code, organisation, first index, how many).
ROSTERS = [
    ("AGH-2021-01", "AZ-MES", 0, 16),
    ("AGH-2021-01", "RU-EMERCOM", 0, 8),
    ("AGH-CURRENT", "AZ-MES", 16, 8),
    ("AGH-CURRENT", "RU-EMERCOM", 8, 4),
]
DEMO_TRAINEE = ("AZ-MES", "FHN-1016")  # Əli Məmmədov of the current intake signs in

ACCOUNTS = [
    {
        "email": "admin@demo.example.org",
        "password": "demo-admin-password",
        "role": Role.ADMIN,
        "full_name": "Leyla Hüseynova",
    },
    {
        "email": "instructor@demo.example.org",
        "password": "demo-instructor-password",
        "role": Role.INSTRUCTOR,
        "full_name": "Rəşad Quliyev",
    },
    {
        "email": "instructor.ru@demo.example.org",
        "password": "demo-instructor-password",
        "role": Role.INSTRUCTOR,
        "full_name": "Андрей Волков",
    },
    {
        "email": "trainee@demo.example.org",
        "password": "demo-trainee-password",
        "role": Role.TRAINEE,
        "full_name": "Əli Məmmədov",
        "trainee": DEMO_TRAINEE,
    },
]


def seed_organisations() -> None:
    for values in ORGANISATIONS:
        exists = db.session.scalar(select(Organisation).where(Organisation.code == values["code"]))
        if exists is None:
            db.session.add(Organisation(**values))
    db.session.flush()


INSTRUCTOR_ORGANISATIONS = {
    "instructor@demo.example.org": "AZ-MES",
    "instructor.ru@demo.example.org": "RU-EMERCOM",
}


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


def demo_status(index: int, day_index: int, below_threshold: bool) -> str:
    """A believable register: mostly present, some late, a few absent or excused."""
    if below_threshold and day_index % 6 == 2:
        return AttendanceStatus.ABSENT
    if (index * 7 + day_index) % 23 == 0:
        return AttendanceStatus.LATE
    if (index * 5 + day_index) % 41 == 0:
        return AttendanceStatus.ABSENT
    if (index + day_index) % 37 == 0:
        return AttendanceStatus.EXCUSED
    return AttendanceStatus.PRESENT


def seed_attendance(course: Course) -> None:
    """Every training day of the course up to yesterday, as the instructors recorded it.

    Written directly, as history: the rules for taking attendance today (the
    correction window) do not apply to a register that is being seeded.
    """
    if db.session.scalar(select(AttendanceSheet.id).where(AttendanceSheet.course_id == course.id)):
        return
    enrolments = sorted(course_enrolments(course), key=lambda e: e.id)
    instructors = course.instructors
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    days = [day for day in course_training_days(course) if day < clock.today()]
    for day_index, day in enumerate(days):
        recorder = instructors[day_index % len(instructors)]
        at = datetime.combine(day, time(17, 0), zone)
        sheet = AttendanceSheet(course=course, day=day, recorded_by=recorder, recorded_at=at)
        db.session.add(sheet)
        for index, enrolment in enumerate(enrolments):
            status = demo_status(index, day_index, below_threshold=index == 3)
            note = {"late": "Transport delay", "excused": "Medical appointment"}.get(status, "")
            sheet.records.append(
                AttendanceRecord(
                    enrolment=enrolment,
                    status=status,
                    note=note,
                    recorded_by_id=recorder.id,
                    recorded_at=at,
                )
            )
    db.session.flush()


def demo_result(module, index: int, attempt: int) -> dict:
    """A score (theory) or pass/fail; trainee 5 fails RECOG once, trainee 7 fails DRILL twice."""
    failing = (module.code == "RECOG" and index == 5 and attempt == 1) or (
        module.code == "DRILL" and index == 7
    )
    if module.scored:
        score = 62 if failing else 70 + (index * 13 + module.position * 7) % 30
        return {"score": max(score, module.pass_mark) if not failing else score}
    return {"passed": not failing}


def seed_results(course: Course) -> None:
    """Results of every module already taught, through the rules (as the assessors did)."""
    if db.session.scalar(
        select(ModuleResult.id).join(Enrolment).where(Enrolment.course_id == course.id).limit(1)
    ):
        return
    last_day: dict[int, date] = {}
    for entry in course.plan:
        last_day[entry.module_id] = max(entry.day, last_day.get(entry.module_id, entry.day))
    enrolments = [
        e
        for e in sorted(course_enrolments(course), key=lambda e: e.id)
        if e.status != EnrolmentStatus.WITHDRAWN
    ]
    instructors = course.instructors
    for position, module in enumerate(course.programme.modules):
        day = last_day.get(module.id)
        if day is None or day >= clock.today():
            continue  # not taught yet
        assessor = instructors[position % len(instructors)]
        for attempt in (1, 2):
            taken = results_of([e.id for e in enrolments])
            rows = []
            for index, enrolment in enumerate(enrolments):
                if attempt == 2 and not _failed_first(module, index):
                    continue
                if refusal_for(enrolment, module, taken):
                    continue  # a prerequisite failed: this trainee cannot sit the module
                rows.append(
                    (enrolment, {**demo_result(module, index, attempt), "assessed_on": day})
                )
            if rows:
                record_results(course, module, rows, assessor)


def _failed_first(module, index: int) -> bool:
    result = demo_result(module, index, 1)
    return result.get("passed") is False or (
        "score" in result and result["score"] < module.pass_mark
    )


def seed_certificates(course: Course) -> None:
    """The 2021 course's certificates: all eligible issued, one revoked, one reissued."""
    if db.session.scalar(
        select(Certificate.id).join(Enrolment).where(Enrolment.course_id == course.id).limit(1)
    ):
        return
    admin = find_user_by_email("admin@demo.example.org")
    issued, _refused = issue_course(course, admin)
    if len(issued) >= 2:
        revoke(issued[0], "Medical clearance withdrawn after the course")
        reissue(issued[1], admin)
    db.session.flush()


def course_enrolments(course: Course) -> list[Enrolment]:
    return db.session.scalars(select(Enrolment).where(Enrolment.course_id == course.id)).all()


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


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Add the demo organisations, programme, course, trainees and accounts."""
    seed_organisations()
    seed_trainees()
    accounts = seed_accounts()
    seed_courses(seed_programme())
    for code in ("AGH-2021-01", "AGH-CURRENT"):
        course = db.session.scalar(select(Course).where(Course.code == code))
        seed_attendance(course)
        seed_results(course)
        if course.status == CourseStatus.COMPLETED:
            seed_certificates(course)
    db.session.commit()
    click.echo("Demo accounts (sign in at /login):")
    for values, created in accounts:
        note = "" if created else "  (unless changed since)"
        click.echo(f"  {values['role']:<11} {values['email']:<30} {values['password']}{note}")
