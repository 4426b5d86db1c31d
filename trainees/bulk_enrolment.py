"""Import trainees and enrol every one of them into a course, all or nothing (flush only).

The rows are imported first (every row checked); then each new trainee goes through the
same enrolment rules as a single enrolment, in file order, so the seats and quotas count
the rows before. Any refusal becomes a row error and nothing of the file is kept: the
edge rolls back on ImportRefused.
"""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln

from core.api import MAX_ID
from core.errors import Invalid, RuleBroken
from extensions import db
from models import Course, Enrolment, Trainee
from trainees.enrolment import enrol
from trainees.importing import ImportRefused, import_trainees


def course_to_enrol_into(course_id: int) -> Course:
    """The course named by the import's `course_id`: an unknown one is an invalid value."""
    course = db.session.get(Course, course_id) if 1 <= course_id <= MAX_ID else None
    if course is None:
        message = _l("There is no course number %(id)d.", id=course_id)
        raise Invalid(message, {"course_id": [message]})
    return course


def import_and_enrol(
    rows: list[dict], course: Course | None
) -> tuple[list[Trainee], list[Enrolment]]:
    trainees = import_trainees(rows)
    if course is None:
        return trainees, []
    enrolments, errors = [], []
    for row, trainee in zip(rows, trainees, strict=True):
        try:
            enrolments.append(enrol(course, trainee.id))
        except RuleBroken as refusal:
            errors.append(
                {"row": row["row"], "field": "course_id", "message": str(refusal.message)}
            )
    if errors:
        raise ImportRefused(
            _ln(
                "Nothing was imported: %(num)d trainee cannot be enrolled in %(code)s.",
                "Nothing was imported: %(num)d trainees cannot be enrolled in %(code)s.",
                len(errors),
                code=course.code,
            ),
            errors,
        )
    return trainees, enrolments
