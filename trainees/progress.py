"""Progress and certificate eligibility: the one place where the rule is written.

Pages, the API, certificate issuing and the CLI all ask `course_progress` (a whole
course, in a fixed number of queries), `courses_progress` (several courses, in the
same queries: the home page) or `enrolment_progress` (one trainee); all end in
`evaluate`, and `Progress.missing` says in words what is missing.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import joinedload

from core import clock
from core.database import plain_rows, prebuilt
from core.formats import Rate
from core.formats import lazy_sentence as _l
from core.translated import localised
from courses.attendance_rate import (
    Tally,
    attendance_rate,
    courses_tallies,
    enrolments_tallies,
    exact_rate,
)
from courses.plans import course_training_days
from courses.presenters import course_loading, enrolment_loading, load_modules
from extensions import db
from models import Course, Enrolment, EnrolmentStatus, Module, Organisation, Trainee
from trainees.results import results_of


@dataclass
class Missing:
    """A condition not met: its code, and in words, translated when it is read.

    Lazy because a course's matrix evaluates every trainee but shows none of these
    sentences: translating 400 of them per request was a tenth of the page.
    """

    code: str
    text: object  # a lazy string (or a string)

    @property
    def message(self) -> str:
        return str(self.text)


@dataclass(frozen=True, slots=True)
class OrganisationLine:
    code: str


@dataclass(frozen=True, slots=True)
class TraineeLine:
    full_name: str
    full_name_latin: str
    organisation: OrganisationLine


@dataclass(frozen=True, slots=True)
class EnrolmentLine:
    """What a course's read-only lists show of an enrolment, its trainee and organisation.

    Read as plain values, not records: for 60 trainees, 122 mapped objects cost five
    times the query (a tenth of the results matrix). Nothing can be changed through it.
    """

    id: int
    course_id: int
    status: str
    withdrawn_on: date | None
    trainee: TraineeLine


@dataclass(frozen=True)
class Requirements:
    """What a course's certificate asks, read once per course as plain values.

    A matrix evaluates 60 trainees against 15 modules: reading the modules' mapped
    attributes for each trainee was a fifth of the page.
    """

    modules: list[Module]
    module_ids: tuple[int, ...]
    hours: dict[int, int]  # module id -> hours
    mandatory: tuple[tuple[int, str, str], ...]  # (id, code, title) of each mandatory module
    threshold: int
    max_attempts: int
    end_date: date
    days: tuple[date, ...]  # the training days, in order

    @property
    def training_days(self) -> int:
        return len(self.days)


def requirements_of(course: Course, training_days: list[date]) -> Requirements:
    programme = course.programme
    load_modules([programme])  # a kept statement, unless loaded with the course already
    modules = list(programme.modules)
    return Requirements(
        modules=modules,
        module_ids=tuple(m.id for m in modules),
        hours={m.id: m.hours for m in modules},
        # Titles in the reader's language: the reasons a certificate waits are read by people.
        mandatory=tuple((m.id, m.code, localised(m, "title")) for m in modules if m.mandatory),
        threshold=programme.attendance_threshold,
        max_attempts=programme.max_attempts,
        end_date=course.end_date,
        days=tuple(training_days),
    )


@dataclass
class Progress:
    enrolment: Enrolment | EnrolmentLine
    modules_total: int
    modules_passed: int
    hours_total: int
    hours_passed: int
    attendance_rate: float | None
    threshold: int
    training_days_recorded: int
    training_days_total: int
    latest: dict[int, Row]  # module id -> the attempt that counts (trainees.results rows)
    attempts: dict[int, int]  # module id -> attempts taken
    tally: Tally
    requirements: Requirements
    today: date

    @cached_property
    def missing(self) -> list[Missing]:
        """Each condition of the certificate not met, in words: worked out when first
        read, since the results matrix reads none of them for its 60 trainees."""
        missing: list[Missing] = []
        enrolment, requirements, tally = self.enrolment, self.requirements, self.tally
        today, days_total, threshold = self.today, self.training_days_total, self.threshold
        passed = {m for m, result in self.latest.items() if result.passed}
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            missing.append(
                Missing(
                    "withdrawn",
                    _l(
                        "Withdrawn from the course on %(day)s.",
                        day=enrolment.withdrawn_on,
                    ),
                )
            )
        if today <= requirements.end_date:
            missing.append(
                Missing(
                    "course_not_ended",
                    _l("The course ends on %(day)s.", day=requirements.end_date),
                )
            )
        for module_id, code, title in requirements.mandatory:
            if module_id not in passed:
                missing.append(
                    Missing(
                        "module_not_passed",
                        _l(
                            "Module %(code)s (%(title)s) is not passed.",
                            code=code,
                            title=title,
                        ),
                    )
                )
        if today > requirements.end_date:
            unrecorded = days_total - tally.recorded
            if unrecorded > 0:
                missing.append(
                    Missing(
                        "days_not_recorded",
                        _l(
                            "%(n)d of %(total)d training days have no attendance record.",
                            n=unrecorded,
                            total=days_total,
                        ),
                    )
                )
        else:
            # A course still running: the days to come cannot have a record yet.
            so_far = bisect_right(requirements.days, today)
            if (unrecorded := so_far - tally.recorded) > 0:
                missing.append(
                    Missing(
                        "days_not_recorded",
                        _l(
                            "%(n)d of the %(total)d training days so far have no attendance "
                            "record.",
                            n=unrecorded,
                            total=so_far,
                        ),
                    )
                )
        rate = tally.rate
        if rate is not None and tally.below(threshold):
            missing.append(
                Missing(
                    "attendance_below_threshold",
                    _l(
                        "Attendance is %(rate)s%%, below the %(threshold)d%% required.",
                        rate=Rate(rate),
                        threshold=threshold,
                    ),
                )
            )
        elif rate is None and tally.recorded:
            missing.append(
                Missing(
                    "attendance_below_threshold",
                    _l("Every recorded day is excused: no attendance counts yet."),
                )
            )
        return missing

    @property
    def eligible(self) -> bool:
        return not self.missing

    @property
    def modules(self) -> list[Module]:
        return self.requirements.modules

    @property
    def max_attempts(self) -> int:
        return self.requirements.max_attempts

    def at_risk(self) -> list[str]:
        """Why the trainee can no longer earn the certificate, in words (empty: still can).

        Attendance: even present on every day not yet recorded, the rate stays below the
        threshold. Modules: a mandatory module failed with no attempt left.
        """
        reasons = []
        counts = self.tally.counts
        remaining = max(self.training_days_total - self.tally.recorded, 0)
        best_counts = (
            counts["present"] + remaining,
            counts["late"],
            counts["excused"],
            self.tally.recorded + remaining,
        )
        exact_best = exact_rate(*best_counts)
        best = attendance_rate(*best_counts)
        if exact_best is not None and exact_best < self.threshold:
            reasons.append(
                str(
                    _l(
                        "Cannot reach %(t)d%% attendance: at best %(best)s%%.",
                        t=self.threshold,
                        best=Rate(best),
                    )
                )
            )
        for module_id, code, _title in self.requirements.mandatory:
            result = self.latest.get(module_id)
            if (
                result is not None
                and not result.passed
                and self.attempts[module_id] >= self.max_attempts
            ):
                reasons.append(str(_l("Failed %(code)s with no attempt left.", code=code)))
        return reasons


def evaluate(
    enrolment: Enrolment | EnrolmentLine,
    requirements: Requirements,
    attempts: dict[tuple[int, int], list[Row]],
    tally: Tally | None,
    today: date,
) -> Progress:
    """Where the trainee stands on every condition of the certificate (`Progress.missing`
    says in words each one not met)."""
    tally = tally or Tally()
    enrolment_id = enrolment.id  # read once: a mapped attribute costs a call each time
    taken = {m: attempts.get((enrolment_id, m), ()) for m in requirements.module_ids}
    latest_by_module = {m: tries[-1] for m, tries in taken.items() if tries}
    passed = [m for m, result in latest_by_module.items() if result.passed]
    hours = requirements.hours
    threshold = requirements.threshold
    days_total = requirements.training_days
    progress = Progress(
        enrolment=enrolment,
        modules_total=len(requirements.module_ids),
        modules_passed=len(passed),
        hours_total=sum(hours.values()),
        hours_passed=sum(hours[m] for m in passed),
        attendance_rate=tally.rate,
        threshold=threshold,
        training_days_recorded=tally.recorded,
        training_days_total=days_total,
        latest=latest_by_module,
        attempts={m: len(tries) for m, tries in taken.items()},
        tally=tally,
        requirements=requirements,
        today=today,
    )
    return progress


@prebuilt
def _enrolment_lines():
    return (
        select(
            Enrolment.id,
            Enrolment.course_id,
            Enrolment.status,
            Enrolment.withdrawn_on,
            Trainee.full_name,
            Trainee.full_name_latin,
            Organisation.code,
        )
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .join(Organisation, Organisation.id == Trainee.organisation_id)
        .where(Enrolment.course_id.in_(bindparam("ids", expanding=True)))
    )


def _enrolments(course_ids: list[int], brief: bool) -> list:
    if not brief:
        return db.session.scalars(
            select(Enrolment)
            .where(Enrolment.course_id.in_(course_ids))
            .options(*enrolment_loading())
        ).all()
    organisations: dict[str, OrganisationLine] = {}
    return [
        EnrolmentLine(
            id,
            course_id,
            status,
            withdrawn_on,
            TraineeLine(name, latin, organisations.setdefault(code, OrganisationLine(code))),
        )
        for id, course_id, status, withdrawn_on, name, latin, code in plain_rows(
            _enrolment_lines(), {"ids": course_ids}
        )
    ]


def course_progress(course: Course, brief: bool = False) -> dict[int, Progress]:
    """Each enrolment of the course: a fixed number of queries whatever its size.

    `brief`: for a page that only shows progress, each `Progress.enrolment` is an
    `EnrolmentLine` (plain values, read-only) instead of the mapped enrolment.
    """
    return courses_progress([course], brief)[course.id]


def progress_loading() -> tuple:
    """What `courses_progress` reads of each course, loaded with the courses."""
    return (*course_loading(), joinedload(Course.programme))


def courses_progress(courses: list[Course], brief: bool = False) -> dict[int, dict[int, Progress]]:
    """{course id: {enrolment id: progress}} for several courses at once.

    The same queries as for one course (enrolments, attempts, attendance counts), each
    asked once for all the courses; with the courses loaded by `progress_loading`, the
    number of queries does not grow with the number of courses or of trainees.
    """
    progress: dict[int, dict[int, Progress]] = {course.id: {} for course in courses}
    if not courses:
        return progress
    load_modules({course.programme for course in courses})  # one statement for them all
    enrolments = _enrolments(list(progress), brief)
    attempts = results_of([e.id for e in enrolments], brief=True)
    counts = courses_tallies(list(progress))
    today = clock.today()
    asked = {c.id: requirements_of(c, course_training_days(c)) for c in courses}
    for e in enrolments:  # e.course comes from the identity map, with no query
        course_id = e.course_id
        progress[course_id][e.id] = evaluate(e, asked[course_id], attempts, counts.get(e.id), today)
    return progress


def enrolment_progress(enrolment: Enrolment, attempts: dict | None = None) -> Progress:
    """One trainee's progress; `attempts` from `results_of` when the caller has read them."""
    course = enrolment.course
    return evaluate(
        enrolment,
        requirements_of(course, course_training_days(course)),
        results_of([enrolment.id]) if attempts is None else attempts,
        enrolments_tallies([enrolment.id]).get(enrolment.id),
        clock.today(),
    )
