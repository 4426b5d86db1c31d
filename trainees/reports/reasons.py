"""Why trainees did not qualify: the one eligibility rule, asked for many at once.

The rule (trainees.progress.evaluate) is Python, so its inputs are loaded in a
fixed number of queries (enrolments with their courses, every attempt, the
attendance counts) and it is asked once per trainee.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courses.attendance_rate import enrolments_tallies
from courses.plans import course_training_days
from extensions import db
from models import (
    Certificate,
    CertificateStatus,
    Course,
    Enrolment,
    Programme,
    Trainee,
)
from trainees.progress import Requirements, evaluate, requirements_of
from trainees.results import results_of


def count_reasons(rows, scope, only, today: date) -> None:
    """Trainees of ended courses with no certificate to show, by what the rule says is missing.

    Each trainee counts once per reason (two modules not passed: one `module_not_passed`).
    """
    # Asked of each enrolment (NOT EXISTS), not as a list of every certificate ever issued.
    certified = (
        select(Certificate.id)
        .where(
            Certificate.enrolment_id == Enrolment.id,
            Certificate.status != CertificateStatus.SUPERSEDED,
        )
        .exists()
    )
    statement = (
        select(Enrolment, Trainee.organisation_id)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(
            Enrolment.course_id.in_(scope),
            only,
            Course.end_date < today,
            ~certified,
        )
        .options(
            selectinload(Enrolment.course).selectinload(Course.holidays),
            selectinload(Enrolment.course).selectinload(Course.cancelled_days),
            selectinload(Enrolment.course)
            .selectinload(Course.programme)
            .selectinload(Programme.modules),
        )
    )
    found = db.session.execute(statement).all()
    if not found:
        return
    attempts = results_of([enrolment.id for enrolment, _ in found])
    tallies = enrolments_tallies([enrolment.id for enrolment, _ in found])
    asked: dict[int, Requirements] = {}
    for enrolment, organisation_id in found:
        course = enrolment.course
        if course.id not in asked:
            asked[course.id] = requirements_of(course, course_training_days(course))
        progress = evaluate(enrolment, asked[course.id], attempts, tallies.get(enrolment.id), today)
        row = rows.get(organisation_id)
        if row is None or progress.eligible:
            continue
        row.not_qualified += 1
        row.reasons.update({missing.code for missing in progress.missing})
