"""Progress and certificate eligibility: the one place where the rule is written.

Pages, the API, certificate issuing and the CLI all ask `course_progress` (a whole
course, in a fixed number of queries), `courses_progress` (several courses, in the
same queries: the home page) or `enrolment_progress` (one trainee); all end in
`evaluate`, which says what is missing in words.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core import clock
from core.formats import Rate
from core.formats import lazy_sentence as _l
from courses.attendance_rate import (
    Tally,
    attendance_rate,
    courses_tallies,
    exact_rate,
    tallies,
)
from courses.plans import course_training_days
from courses.presenters import course_loading, enrolment_loading
from extensions import db
from models import Course, Enrolment, EnrolmentStatus, Module, ModuleResult, Programme
from trainees.results import latest, results_of


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


@dataclass
class Progress:
    enrolment: Enrolment
    modules_total: int
    modules_passed: int
    hours_total: int
    hours_passed: int
    attendance_rate: float | None
    threshold: int
    training_days_recorded: int
    training_days_total: int
    latest: dict[int, ModuleResult]  # module id -> the attempt that counts
    attempts: dict[int, int]  # module id -> attempts taken
    tally: Tally
    modules: list[Module]
    max_attempts: int
    missing: list[Missing] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.missing

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
        for module in self.modules:
            result = self.latest.get(module.id)
            if (
                module.mandatory
                and result is not None
                and not result.passed
                and self.attempts[module.id] >= self.max_attempts
            ):
                reasons.append(str(_l("Failed %(code)s with no attempt left.", code=module.code)))
        return reasons


def evaluate(
    enrolment: Enrolment,
    modules: list[Module],
    attempts: dict[tuple[int, int], list[ModuleResult]],
    tally: Tally | None,
    training_days: list[date],
    today: date,
) -> Progress:
    """Every condition of the certificate, and in words each one not met."""
    course = enrolment.course
    programme = course.programme
    tally = tally or Tally()
    latest_by_module = {
        m.id: result for m in modules if (result := latest(attempts.get((enrolment.id, m.id))))
    }
    passed = [m for m in modules if m.id in latest_by_module and latest_by_module[m.id].passed]
    progress = Progress(
        enrolment=enrolment,
        modules_total=len(modules),
        modules_passed=len(passed),
        hours_total=sum(m.hours for m in modules),
        hours_passed=sum(m.hours for m in passed),
        attendance_rate=tally.rate,
        threshold=programme.attendance_threshold,
        training_days_recorded=tally.recorded,
        training_days_total=len(training_days),
        latest=latest_by_module,
        attempts={m.id: len(attempts.get((enrolment.id, m.id), [])) for m in modules},
        tally=tally,
        modules=modules,
        max_attempts=programme.max_attempts,
    )
    missing = progress.missing
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
    if today <= course.end_date:
        missing.append(
            Missing(
                "course_not_ended",
                _l("The course ends on %(day)s.", day=course.end_date),
            )
        )
    for module in modules:
        if module.mandatory and module not in passed:
            missing.append(
                Missing(
                    "module_not_passed",
                    _l(
                        "Module %(code)s (%(title)s) is not passed.",
                        code=module.code,
                        title=module.title,
                    ),
                )
            )
    unrecorded = len(training_days) - tally.recorded
    if unrecorded > 0:
        missing.append(
            Missing(
                "days_not_recorded",
                _l(
                    "%(n)d of %(total)d training days have no attendance record.",
                    n=unrecorded,
                    total=len(training_days),
                ),
            )
        )
    rate = tally.rate
    if rate is not None and tally.below(programme.attendance_threshold):
        missing.append(
            Missing(
                "attendance_below_threshold",
                _l(
                    "Attendance is %(rate)s%%, below the %(threshold)d%% required.",
                    rate=Rate(rate),
                    threshold=programme.attendance_threshold,
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
    return progress


def course_progress(course: Course) -> dict[int, Progress]:
    """Each enrolment of the course: a fixed number of queries whatever its size."""
    return courses_progress([course])[course.id]


def progress_loading() -> tuple:
    """What `courses_progress` reads of each course, loaded with the courses."""
    return (*course_loading(), joinedload(Course.programme).selectinload(Programme.modules))


def courses_progress(courses: list[Course]) -> dict[int, dict[int, Progress]]:
    """{course id: {enrolment id: progress}} for several courses at once.

    The same queries as for one course (enrolments, attempts, attendance counts), each
    asked once for all the courses; with the courses loaded by `progress_loading`, the
    number of queries does not grow with the number of courses or of trainees.
    """
    progress: dict[int, dict[int, Progress]] = {course.id: {} for course in courses}
    if not courses:
        return progress
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.course_id.in_(list(progress)))
        .options(*enrolment_loading())
    ).all()
    attempts = results_of([e.id for e in enrolments])
    counts = courses_tallies(list(progress))
    today = clock.today()
    days = {course.id: course_training_days(course) for course in courses}
    modules = {course.id: list(course.programme.modules) for course in courses}
    for e in enrolments:  # e.course comes from the identity map, with no query
        course_id = e.course_id
        progress[course_id][e.id] = evaluate(
            e, modules[course_id], attempts, counts.get(e.id), days[course_id], today
        )
    return progress


def enrolment_progress(enrolment: Enrolment) -> Progress:
    course = enrolment.course
    counts = tallies(course)
    return evaluate(
        enrolment,
        list(course.programme.modules),
        results_of([enrolment.id]),
        counts.get(enrolment.id),
        course_training_days(course),
        clock.today(),
    )
