"""`flask seed-bench`: years of records, for measuring how pages grow with the data.

The demo first, then one "hot" course of 60 trainees that started 44 days ago (its
last training day is today, so its sheet can be saved and every day is recorded), made
through the services like any course. Then that course is copied, row by row and in
bulk, into completed courses further and further in the past, each with trainees of
its own: about 500 courses, 25,000 trainees and a million attendance records.

Copies are written with bulk inserts and no audit entries: they are history, not
activity. Copied certificates get numbers and codes of their own but keep the hot
course's signatures, so they verify as altered; the benchmark verifies the hot course's
own certificates. Never seed a database that holds real records.
"""

import hashlib
from datetime import date, datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import insert, select

from core import clock
from courses.courses import change_status, create_course
from demo import seed_demo
from demo.people import seed_programme
from demo.records import seed_attendance, seed_results
from extensions import db
from models import Course, CourseStatus, Organisation
from trainees.enrolment import enrol
from trainees.registry import create_trainee

HOT_COURSE = "BENCH-HOT"
HOT_TRAINEES = 60
COPY_PREFIX = "BENCH-"


@click.command("seed-bench")
@click.option("--courses", default=500, show_default=True, help="completed courses to add")
@click.option(
    "--trainees-per-course", default=52, show_default=True, help="trainees of each copied course"
)
@with_appcontext
def seed_bench_command(courses: int, trainees_per_course: int) -> None:
    """Add the benchmark's dataset: the demo, a 60-trainee course and its copies."""
    seed_demo(echo=False)
    hot = seed_hot_course()
    db.session.commit()
    done = _copies_made()
    if done >= courses:
        click.echo(f"The benchmark dataset is there ({done} copies); nothing added.")
        return
    copier = CourseCopier(hot, min(trainees_per_course, HOT_TRAINEES))
    with click.progressbar(range(done, courses), label="Copying courses") as numbers:
        for number in numbers:
            copier.copy(number)
            db.session.commit()
    click.echo(f"{courses} copied courses, {copier.records} attendance records added.")


def seed_hot_course(trainees: int = HOT_TRAINEES) -> Course:
    """A running course of `trainees` (60) trainees whose last day is today."""
    course = db.session.scalar(select(Course).where(Course.code == HOT_COURSE))
    if course is not None:
        return course
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
    from auth.accounts import find_user_by_email
    from demo.data import INSTRUCTOR_ORGANISATIONS

    programme = seed_programme()
    course = create_course(
        {
            "code": HOT_COURSE,
            "title": "Benchmark course",
            "start_date": clock.today() - timedelta(days=programme.duration_days - 1),
            "holidays": [],
            "programme_id": programme.id,
            "location": "Aghdam region training ground",
            "capacity": trainees,
            "quotas": {},
            "instructor_ids": [find_user_by_email(e).id for e in INSTRUCTOR_ORGANISATIONS],
        }
    )
    change_status(course, CourseStatus.OPEN)
    for index in range(trainees):
        organisation = organisations[index % len(organisations)]
        trainee = create_trainee(_bench_trainee(organisation, index))
        enrol(course, trainee.id)
    change_status(course, CourseStatus.IN_PROGRESS)
    seed_attendance(course)
    seed_results(course)
    return course


def _bench_trainee(organisation: Organisation, index: int) -> dict:
    cyrillic = organisation.language == "ru"
    return {
        "organisation_id": organisation.id,
        "personal_number": f"B-{index:05d}",
        "rank": "Сержант" if cyrillic else "Çavuş",
        "full_name": f"Иван Петров {index}" if cyrillic else f"Orxan Əliyev {index}",
        "full_name_latin": "",
        "date_of_birth": date(1990 + index % 8, 1 + index % 12, 1 + index % 27),
        "email": None,
        "medical_clearance_until": date(2040, 1, 1),
    }


def _copies_made() -> int:
    codes = db.session.scalars(
        select(Course.code).where(Course.code.like(f"{COPY_PREFIX}%"), Course.code != HOT_COURSE)
    )
    return sum(1 for _ in codes)


class CourseCopier:
    """Copies the hot course's rows into a completed course `7 * (number + 8)` days earlier.

    Whole weeks keep every weekday (rest days, holidays) where it was. Columns are
    copied as they are, whatever columns later migrations add; dates move; keys are
    remapped to the new rows; the few unique values get a suffix of the copy.
    """

    def __init__(self, hot: Course, trainees: int) -> None:
        self.tables = db.metadata.tables
        self.template = self._read_template(hot, trainees)
        self.records = 0

    def _rows(self, table: str, *where) -> list[dict]:
        t = self.tables[table]
        return [dict(row._mapping) for row in db.session.execute(select(t).where(*where))]

    def _read_template(self, hot: Course, trainees: int) -> dict:
        t = self.tables
        enrolments = sorted(
            self._rows("enrolments", t["enrolments"].c.course_id == hot.id), key=lambda r: r["id"]
        )[:trainees]
        enrolment_ids = [row["id"] for row in enrolments]
        sheets = self._rows("attendance_sheets", t["attendance_sheets"].c.course_id == hot.id)
        return {
            "course": self._rows("courses", t["courses"].c.id == hot.id)[0],
            "instructors": self._rows(
                "course_instructors", t["course_instructors"].c.course_id == hot.id
            ),
            "plan": self._rows("plan_entries", t["plan_entries"].c.course_id == hot.id),
            "enrolments": enrolments,
            "trainees": self._rows(
                "trainees", t["trainees"].c.id.in_([row["trainee_id"] for row in enrolments])
            ),
            "sheets": sheets,
            "records": self._rows(
                "attendance_records", t["attendance_records"].c.enrolment_id.in_(enrolment_ids)
            ),
            "results": self._rows(
                "module_results", t["module_results"].c.enrolment_id.in_(enrolment_ids)
            ),
            # The hot course is still running: copies take the 2021 demo course's.
            "certificates": self._rows(
                "certificates",
                t["certificates"].c.status == "valid",
                t["certificates"].c.course_code == "AGH-2021-01",
            ),
        }

    def copy(self, number: int) -> None:
        shift = timedelta(days=-7 * (number + 8))
        template = self.template
        suffix = f"{number:04d}"
        course = self._moved(template["course"], shift)
        course.update(
            code=f"{COPY_PREFIX}{suffix}",
            title=f"Benchmark course {suffix}",
            status=CourseStatus.COMPLETED,
        )
        [course_id] = self._insert("courses", [course])
        self._insert(
            "course_instructors",
            [{**row, "course_id": course_id} for row in template["instructors"]],
        )
        self._insert(
            "plan_entries",
            [{**self._moved(row, shift), "course_id": course_id} for row in template["plan"]],
        )
        trainee_ids = self._copy_keyed(
            "trainees",
            template["trainees"],
            lambda row: {
                **row,
                "personal_number": f"{row['personal_number']}-{suffix}",
                "search_text": f"{row['search_text']} {suffix}",
            },
        )
        enrolment_ids = self._copy_keyed(
            "enrolments",
            template["enrolments"],
            lambda row: {
                **self._moved(row, shift),
                "course_id": course_id,
                "trainee_id": trainee_ids[row["trainee_id"]],
                "status": "completed" if row["status"] == "enrolled" else row["status"],
            },
        )
        sheet_ids = self._copy_keyed(
            "attendance_sheets",
            template["sheets"],
            lambda row: {**self._moved(row, shift), "course_id": course_id},
        )
        self._insert(
            "attendance_records",
            [
                {
                    **self._moved(row, shift),
                    "sheet_id": sheet_ids[row["sheet_id"]],
                    "enrolment_id": enrolment_ids[row["enrolment_id"]],
                }
                for row in template["records"]
            ],
            returning=False,
        )
        self.records += len(template["records"])
        self._copy_certificates(enrolment_ids, shift, suffix)
        self._insert(
            "module_results",
            [
                {**self._moved(row, shift), "enrolment_id": enrolment_ids[row["enrolment_id"]]}
                for row in template["results"]
            ],
            returning=False,
        )

    def _copy_certificates(self, enrolment_ids: dict[int, int], shift, suffix: str) -> None:
        enrolments = list(enrolment_ids.values())
        rows = []
        for index, (row, enrolment_id) in enumerate(
            zip(self.template["certificates"], enrolments, strict=False)
        ):
            moved = self._moved(row, shift)
            number = f"{moved['issued_on'].year}-9{suffix}{index:02d}"
            rows.append(
                {
                    **moved,
                    "number": number,
                    "verification_code": hashlib.sha256(number.encode()).hexdigest()[:32],
                    "enrolment_id": enrolment_id,
                    "course_code": f"{COPY_PREFIX}{suffix}",
                    "replaces_id": None,
                    "superseded_by_id": None,
                }
            )
        self._insert("certificates", rows, returning=False)

    def _copy_keyed(self, table: str, rows: list[dict], change) -> dict[int, int]:
        """Insert changed copies of `rows`; answer old id -> new id."""
        new_ids = self._insert(table, [change(row) for row in rows])
        return {row["id"]: new_id for row, new_id in zip(rows, new_ids, strict=True)}

    def _insert(self, table: str, rows: list[dict], returning: bool = True) -> list[int]:
        if not rows:
            return []
        t = self.tables[table]
        rows = [{key: value for key, value in row.items() if key != "id"} for row in rows]
        if not returning or "id" not in t.c:
            db.session.execute(insert(t), rows)
            return []
        statement = insert(t).returning(t.c.id, sort_by_parameter_order=True)
        return list(db.session.scalars(statement, rows))

    @staticmethod
    def _moved(row: dict, shift: timedelta) -> dict:
        """The row with every date and time in it moved by `shift`."""
        return {
            key: value + shift if isinstance(value, date | datetime) else value
            for key, value in row.items()
        }
