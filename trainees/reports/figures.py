"""The figures of the report by organisation, counted by the database.

Whatever the period, the report runs the same handful of queries: each figure is
an aggregate grouped by organisation (and status, or module), never a query per
course or trainee. Only the reasons why trainees did not qualify are judged in
Python, because that judgement is the one eligibility rule (trainees.progress);
its inputs are still loaded in a fixed number of queries.

A course belongs to the period in which it starts; cancelled courses are left out.
A trainee counts for the organisation they belong to.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, distinct, func, select, true
from sqlalchemy.orm import aliased

from auth.policy import visible_courses
from core.translated import in_language, reader_language
from courses.attendance_rate import Tally
from extensions import db
from models import (
    AttendanceRecord,
    AttendanceSheet,
    Certificate,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    ModuleResult,
    Organisation,
    Programme,
    Trainee,
    User,
)
from trainees.reports.reasons import count_reasons

# A certificate that was issued and is not replaced by a reissue counts as issued.
ISSUED = (CertificateStatus.VALID, CertificateStatus.REVOKED)


@dataclass
class ModuleFigures:
    code: str
    title: str
    assessed: int = 0
    passed_first: int = 0
    passed: int = 0

    @property
    def first_attempt_pass_rate(self) -> float | None:
        return percent(self.passed_first, self.assessed)

    @property
    def pass_rate(self) -> float | None:
        return percent(self.passed, self.assessed)


@dataclass
class OrganisationFigures:
    organisation: Organisation
    courses: int = 0
    enrolled: int = 0
    withdrawn: int = 0
    completed: int = 0
    attendance: Tally = field(default_factory=Tally)  # every recorded day, pooled
    rated: int = 0  # trainees with an attendance rate
    below: int = 0  # of those, below their programme's threshold
    certificates: Counter = field(default_factory=Counter)  # by status
    not_qualified: int = 0  # trainees of ended courses who did not qualify
    reasons: Counter = field(default_factory=Counter)  # missing code -> trainees
    modules: list[ModuleFigures] = field(default_factory=list)

    @property
    def attendance_rate(self) -> float | None:
        """The one rate over every recorded training day: each day weighs the same."""
        return self.attendance.rate

    @property
    def below_threshold(self) -> float | None:
        """The share of trainees (with a rate) below the threshold, in percent."""
        return percent(self.below, self.rated)

    @property
    def certificates_issued(self) -> int:
        return sum(self.certificates[status] for status in ISSUED)

    @property
    def certificates_revoked(self) -> int:
        return self.certificates[CertificateStatus.REVOKED]

    @property
    def certificates_pending(self) -> int:
        return certificates_pending(self.certificates)


@dataclass
class CourseAttendance:
    code: str
    title: str
    attendance: Tally = field(default_factory=Tally)


@dataclass
class Report:
    start: date
    end: date
    organisations: list[OrganisationFigures]
    courses: list[CourseAttendance]  # for the chart: attendance per course


def percent(part: int, whole: int) -> float | None:
    """part / whole in percent, one decimal, halves up (as the attendance rate shows)."""
    if not whole:
        return None
    shown = Decimal(100 * part) / Decimal(whole)
    return float(shown.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def certificates_pending(by_status: Counter) -> int:
    """Certificates waiting for the approvals of the issuing organisations."""
    return by_status[CertificateStatus.PENDING_APPROVAL]


def courses_in_scope(start: date, end: date, user: User):
    """The ids of the courses the report covers, as a subquery: the period, the user's view."""
    statement = select(Course.id).where(
        Course.start_date.between(start, end), Course.status != CourseStatus.CANCELLED
    )
    # The courses the user may list (auth.policy): all for administrators, their own
    # for instructors.
    mine = visible_courses(user).with_only_columns(Course.id)
    return statement.where(Course.id.in_(mine)).scalar_subquery()


def build_report(
    start: date, end: date, user: User, today: date, organisation_id: int | None = None
) -> Report:
    """Every figure of every organisation (or one) over the period, in a fixed number of queries."""
    scope = courses_in_scope(start, end, user)
    only = (Trainee.organisation_id == organisation_id) if organisation_id else true()
    rows: dict[int, OrganisationFigures] = {}

    organisations = select(Organisation).order_by(Organisation.name)
    if organisation_id:
        organisations = organisations.where(Organisation.id == organisation_id)
    else:
        present = (
            select(Trainee.organisation_id)
            .join(Enrolment, Enrolment.trainee_id == Trainee.id)
            .where(Enrolment.course_id.in_(scope))
        )
        organisations = organisations.where(Organisation.id.in_(present))
    for organisation in db.session.scalars(organisations):
        rows[organisation.id] = OrganisationFigures(organisation)

    _count_enrolments(rows, scope, only, today)
    _count_attendance(rows, scope, only)
    _count_modules(rows, scope, only)
    _count_certificates(rows, scope, only)
    count_reasons(rows, scope, only, today)
    return Report(start, end, list(rows.values()), _course_attendance(scope, only))


def _count_enrolments(rows, scope, only, today: date) -> None:
    withdrawn = Enrolment.status == EnrolmentStatus.WITHDRAWN
    finished = and_(~withdrawn, Course.end_date < today)
    statement = (
        select(
            Trainee.organisation_id,
            func.count(distinct(Enrolment.course_id)),
            func.count(Enrolment.id),
            func.sum(case((withdrawn, 1), else_=0)),
            func.sum(case((finished, 1), else_=0)),
        )
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.course_id.in_(scope), only)
        .group_by(Trainee.organisation_id)
    )
    for organisation_id, courses, enrolled, withdrawn_count, completed in db.session.execute(
        statement
    ):
        if row := rows.get(organisation_id):
            row.courses, row.enrolled = courses, enrolled
            row.withdrawn, row.completed = int(withdrawn_count or 0), int(completed or 0)


def _count_attendance(rows, scope, only) -> None:
    """Per trainee and status: pooled for the rate, per trainee for the threshold."""
    statement = (
        select(
            Enrolment.id,
            Trainee.organisation_id,
            Programme.attendance_threshold,
            AttendanceRecord.status,
            func.count(),
        )
        .join(AttendanceSheet, AttendanceSheet.id == AttendanceRecord.sheet_id)
        .join(Enrolment, Enrolment.id == AttendanceRecord.enrolment_id)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .join(Course, Course.id == AttendanceSheet.course_id)
        .join(Programme, Programme.id == Course.programme_id)
        .where(AttendanceSheet.course_id.in_(scope), only)
        .group_by(
            Enrolment.id,
            Trainee.organisation_id,
            Programme.attendance_threshold,
            AttendanceRecord.status,
        )
    )
    trainees: dict[int, tuple[int, int, Tally]] = {}
    for enrolment_id, organisation_id, threshold, status, count in db.session.execute(statement):
        entry = trainees.setdefault(enrolment_id, (organisation_id, threshold, Tally()))
        entry[2].counts[status] += count
        if row := rows.get(organisation_id):
            row.attendance.counts[status] += count
    for organisation_id, threshold, tally in trainees.values():
        row = rows.get(organisation_id)
        if row is None or tally.rate is None:
            continue
        row.rated += 1
        row.below += tally.below(threshold)


def _course_attendance(scope, only) -> list[CourseAttendance]:
    same = aliased(Course)  # its translations, read beside the counts (JSON groups nowhere)
    translations = select(same.title_i18n).where(same.id == Course.id).scalar_subquery()
    statement = (
        select(Course.code, Course.title, translations, AttendanceRecord.status, func.count())
        .join(AttendanceSheet, AttendanceSheet.course_id == Course.id)
        .join(AttendanceRecord, AttendanceRecord.sheet_id == AttendanceSheet.id)
        .join(Enrolment, Enrolment.id == AttendanceRecord.enrolment_id)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .where(Course.id.in_(scope), only)
        .group_by(Course.id, Course.start_date, Course.code, Course.title, AttendanceRecord.status)
        .order_by(Course.start_date, Course.code)
    )
    courses: dict[str, CourseAttendance] = {}
    language = reader_language()
    for code, title, texts, status, count in db.session.execute(statement):
        course = courses.setdefault(
            code, CourseAttendance(code, in_language(title, texts, language))
        )
        course.attendance.counts[status] = count
    return list(courses.values())


def _count_modules(rows, scope, only) -> None:
    """Assessed, passed at the first attempt, passed at the attempt that counts (the latest)."""
    # The latest attempts of the report's courses only: grouped over every result ever
    # recorded, each report would read the years before its period too.
    last = (
        select(
            ModuleResult.enrolment_id,
            ModuleResult.module_id,
            func.max(ModuleResult.attempt).label("attempt"),
        )
        .join(Enrolment, Enrolment.id == ModuleResult.enrolment_id)
        .where(Enrolment.course_id.in_(scope))
        .group_by(ModuleResult.enrolment_id, ModuleResult.module_id)
        .subquery()
    )
    first_passed = and_(ModuleResult.attempt == 1, ModuleResult.passed)
    last_passed = and_(ModuleResult.attempt == last.c.attempt, ModuleResult.passed)
    same = aliased(Module)
    translations = select(same.title_i18n).where(same.id == Module.id).scalar_subquery()
    statement = (
        select(
            Trainee.organisation_id,
            Module.id,
            Module.code,
            Module.title,
            translations,
            func.count(distinct(ModuleResult.enrolment_id)),
            func.sum(case((first_passed, 1), else_=0)),
            func.sum(case((last_passed, 1), else_=0)),
        )
        .join(Enrolment, Enrolment.id == ModuleResult.enrolment_id)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .join(Module, Module.id == ModuleResult.module_id)
        .join(
            last,
            and_(
                last.c.enrolment_id == ModuleResult.enrolment_id,
                last.c.module_id == ModuleResult.module_id,
            ),
        )
        .where(Enrolment.course_id.in_(scope), only)
        .group_by(Trainee.organisation_id, Module.id, Module.code, Module.title)
        .order_by(Module.programme_id, Module.position)
    )
    language = reader_language()
    for organisation_id, _id, code, title, texts, assessed, first, final in db.session.execute(
        statement
    ):
        if row := rows.get(organisation_id):
            title = in_language(title, texts, language)
            row.modules.append(ModuleFigures(code, title, assessed, int(first), int(final)))


def _count_certificates(rows, scope, only) -> None:
    statement = (
        select(Trainee.organisation_id, Certificate.status, func.count())
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .where(Enrolment.course_id.in_(scope), only)
        .group_by(Trainee.organisation_id, Certificate.status)
    )
    for organisation_id, status, count in db.session.execute(statement):
        if row := rows.get(organisation_id):
            row.certificates[status] += count
