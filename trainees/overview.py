"""The home pages' overview: today's courses, sheets not yet taken, certificates waiting
and expiring. Administrators see every course, instructors the courses they teach.

The courses package renders the home pages but may not import this package, so the
overview reaches its templates as a template global (see trainees/views/overview.py).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from auth.policy import visible_courses
from core import clock
from courses.plans import course_training_days
from extensions import db
from models import (
    AttendanceSheet,
    Certificate,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    User,
)
from models.certificate import HELD
from trainees.certificates.access import renewed
from trainees.certificates.approvals import waiting_for
from trainees.certificates.issuing import changed_since
from trainees.progress import courses_progress, progress_loading

EXPIRING_WITHIN = timedelta(days=90)
# Certificates still waiting after a year are a matter for the registry, not the home page.
WAITING_SINCE = timedelta(days=365)


@dataclass
class Overview:
    today: date
    today_courses: list[Course] = field(default_factory=list)
    sheets_missing: list[Course] = field(default_factory=list)
    # (course, eligible trainees without a certificate, certificates awaiting approval)
    waiting: list[tuple[Course, int, int]] = field(default_factory=list)
    expiring: list[Certificate] = field(default_factory=list)
    for_my_approval: int = 0  # certificates waiting for this approver's signature


def home_overview(user: User) -> Overview:
    today = clock.today()
    overview = Overview(today=today)
    # Courses that train now or ended within the year: the years of courses before them
    # are never read (nor one left "in progress" long after it ended), so the page stays
    # as fast as they pile up.
    courses = db.session.scalars(
        visible_courses(user)
        .where(
            Course.status.in_(
                [CourseStatus.OPEN, CourseStatus.IN_PROGRESS, CourseStatus.COMPLETED]
            ),
            Course.end_date >= today - WAITING_SINCE,
        )
        .options(*progress_loading())
        .order_by(Course.start_date)
    ).all()
    running = [c for c in courses if c.status != CourseStatus.COMPLETED]
    overview.today_courses = [c for c in running if today in course_training_days(c)]
    taken = set(
        db.session.scalars(
            select(AttendanceSheet.course_id).where(
                AttendanceSheet.day == today,
                AttendanceSheet.course_id.in_([c.id for c in overview.today_courses]),
            )
        )
    )
    overview.sheets_missing = [c for c in overview.today_courses if c.id not in taken]
    # Ended, whether or not someone has marked it completed yet.
    ended = [c for c in courses if today - WAITING_SINCE <= c.end_date < today]
    overview.waiting = _waiting(ended)
    overview.expiring = db.session.scalars(
        select(Certificate)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(
            Certificate.status == CertificateStatus.VALID,
            # Those already expired are on the refresher list, not "expiring".
            Certificate.expires_on.between(today, today + EXPIRING_WITHIN),
            ~renewed(),
            # Certificates outlive the year: of every course this account may see.
            Enrolment.course_id.in_(visible_courses(user).with_only_columns(Course.id)),
        )
        .order_by(Certificate.expires_on)
        .limit(20)
    ).all()
    # An approver's signature is what holds these certificates back: said first on the home.
    overview.for_my_approval = sum(len(c) for c in waiting_for(user).values())
    return overview


def _waiting(courses: list[Course]) -> list[tuple[Course, int, int]]:
    """Each finished course with certificates still to issue or still to approve.

    To issue: what the course's certificates tab offers, eligible trainees who hold no
    certificate, valid or waiting for approval, and whose certificate was not revoked (or
    whose records changed since: "revoked, and earned again"). To approve: certificates
    waiting for the ministries' approvals. One eligibility rule for all (trainees.progress),
    asked for every course at once: the same few queries for one course or fifty.
    """
    progress = courses_progress(courses)
    enrolment_ids = [e for of_course in progress.values() for e in of_course]
    held: dict[int, str] = {}
    revoked: dict[int, int] = {}  # the enrolment's last revoked certificate
    for enrolment_id, certificate_id, status in db.session.execute(
        select(Certificate.enrolment_id, Certificate.id, Certificate.status)
        .where(
            Certificate.enrolment_id.in_(enrolment_ids),
            Certificate.status.in_((*HELD, CertificateStatus.REVOKED)),
        )
        .order_by(Certificate.id)
    ):
        if status == CertificateStatus.REVOKED:
            revoked[enrolment_id] = certificate_id
        else:
            held[enrolment_id] = status
    earned_again = changed_since(
        [
            revoked[e]
            for of_course in progress.values()
            for e, item in of_course.items()
            if e in revoked and e not in held and item.eligible
        ]
    )
    waiting = []
    for course in courses:
        of_course = progress[course.id]
        to_issue = sum(
            1
            for e, item in of_course.items()
            if item.eligible and e not in held and (e not in revoked or revoked[e] in earned_again)
        )
        to_approve = sum(1 for e in of_course if held.get(e) == CertificateStatus.PENDING_APPROVAL)
        if to_issue or to_approve:
            waiting.append((course, to_issue, to_approve))
    return waiting
