"""Records under a certificate: never changed so that its holder would not earn it.

Certificates are issued once a course has ended, while its last sheets can still be
corrected. A correction that took a holder's attendance below the programme's
threshold would leave a valid certificate for someone who no longer earns it, and a
checkpoint could not tell. So, as for a corrected result, the certificate is revoked
first (which the trail records), and then the record changes. (A holder's enrolment is
completed: withdrawing it is refused already.)
"""

from sqlalchemy import select

from core.errors import Invalid
from core.formats import lazy_sentence as _l
from courses.attendance_rate import Tally, enrolments_tallies
from extensions import db
from models import Certificate, Course
from models.certificate import HELD


def held_certificate(enrolment_id: int) -> str | None:
    """The number of the enrolment's valid (or waiting) certificate, if it has one."""
    return db.session.scalar(
        select(Certificate.number).where(
            Certificate.enrolment_id == enrolment_id, Certificate.status.in_(HELD)
        )
    )


def refuse_unearning(course: Course, changes: dict[int, tuple], lines: list) -> None:
    """`changes`: {enrolment id: (index of its record, status before or None, status after)}
    of the records this save changes; `lines`: the sheet's (courses.attendance.SheetLine).

    One query when something changes and nothing more when no holder is among them;
    a repeated save of an unchanged sheet asks nothing.
    """
    if not changes:
        return
    held = dict(
        db.session.execute(
            select(Certificate.enrolment_id, Certificate.number).where(
                Certificate.enrolment_id.in_(changes), Certificate.status.in_(HELD)
            )
        ).all()
    )
    if not held:
        return
    tallies = enrolments_tallies(list(held))
    threshold = course.programme.attendance_threshold
    names = {line.enrolment_id: line.full_name for line in lines}
    problems = {}
    for enrolment_id, number in held.items():
        index, before, after = changes[enrolment_id]
        counts = (tallies.get(enrolment_id) or Tally()).counts.copy()
        if before is not None:
            counts[before] -= 1
        counts[after] += 1
        if Tally(counts).below(threshold):
            problems[f"records.{index}.status"] = [
                _l(
                    "%(name)s holds certificate %(number)s, and this change takes their "
                    "attendance below %(threshold)d%%: revoke the certificate first, then "
                    "correct the sheet.",
                    name=names[enrolment_id],
                    number=number,
                    threshold=threshold,
                )
            ]
    if problems:
        raise Invalid(_l("Nothing was saved: some records are not right."), problems)
