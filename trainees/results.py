"""Module results: recording attempts, correcting one, and the latest attempt of each."""

from collections import defaultdict
from datetime import date

from sqlalchemy import Row, bindparam, select

from auth.policy import may_correct_result, may_record_result
from core import clock
from core.database import plain_rows, prebuilt
from core.errors import Conflict, Forbidden, Invalid
from core.formats import lazy_sentence as _l
from core.text import one_line
from courses.held_certificates import held_certificate
from extensions import db
from models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    Module,
    ModuleResult,
)
from models.account import User

# What reading an attempt needs: the pages, progress and the rules read these columns
# and never change them, so they come as plain rows. A course's matrix reads 700 of them
# per request, and rows cost a third of what mapped objects cost.
ATTEMPT_COLUMNS = (
    ModuleResult.id,
    ModuleResult.enrolment_id,
    ModuleResult.module_id,
    ModuleResult.attempt,
    ModuleResult.score,
    ModuleResult.passed,
    ModuleResult.assessed_on,
    ModuleResult.assessor_id,
    ModuleResult.recorded_at,
)


# The first six: what counts and whether it passed. Lists of a whole course (the
# matrix, the certificates tab, the dashboard) read no more, and leaving out the two
# dates saves parsing 1,200 of them per request on SQLite.
BRIEF = 6


def results_of(enrolment_ids: list[int], brief: bool = False) -> dict[tuple[int, int], list[Row]]:
    """Every attempt, by (enrolment, module), oldest first: one query for any number.

    Read-only rows with the attributes of `ATTEMPT_COLUMNS` (`brief`: of its first
    `BRIEF`); a change loads the result.
    """
    if not enrolment_ids:
        return {}
    attempts: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for result in plain_rows(_attempts_of(brief), {"ids": enrolment_ids}):
        # By position (enrolment_id, module_id): a row's attributes by name cost more.
        attempts[result[1], result[2]].append(result)
    return dict(attempts)


@prebuilt
def _attempts_of(brief: bool):
    columns = ATTEMPT_COLUMNS[:BRIEF] if brief else ATTEMPT_COLUMNS
    return (
        select(*columns)
        .where(ModuleResult.enrolment_id.in_(bindparam("ids", expanding=True)))
        .order_by(ModuleResult.attempt)
    )


def latest(attempts: list[Row] | None) -> Row | None:
    """The attempt that counts: the latest one."""
    return attempts[-1] if attempts else None


def check_assessor(user: User, course: Course) -> None:
    allowed = may_record_result(user, course)
    if not allowed:
        raise Forbidden(allowed.reason)


def _check_values(module: Module, values: dict, course: Course, prefix: str = "") -> dict:
    """Per-field problems of one attempt's values."""
    problems: dict[str, list] = {}
    score, passed = values.get("score"), values.get("passed")
    if module.scored:
        if score is None:
            problems[f"{prefix}score"] = [
                _l("%(code)s is scored: give a score from 0 to 100.", code=module.code)
            ]
        elif not 0 <= score <= 100:
            problems[f"{prefix}score"] = [_l("The score must be between 0 and 100.")]
        elif passed is not None and passed != (score >= module.pass_mark):
            problems[f"{prefix}passed"] = [
                _l(
                    "A score of %(s)d %(verb)s the pass mark of %(m)d.",
                    s=score,
                    verb=_l("reaches") if score >= module.pass_mark else _l("misses"),
                    m=module.pass_mark,
                )
            ]
    else:
        if score is not None:
            problems[f"{prefix}score"] = [
                _l("%(code)s is assessed as pass or fail, without a score.", code=module.code)
            ]
        if passed is None:
            problems[f"{prefix}passed"] = [_l("Say whether %(code)s is passed.", code=module.code)]
    day = values.get("assessed_on")
    if not isinstance(day, date):
        problems[f"{prefix}assessed_on"] = [_l("Give the date of the assessment.")]
    elif not course.start_date <= day <= course.end_date:
        problems[f"{prefix}assessed_on"] = [
            _l(
                "%(day)s is outside the course (%(start)s to %(end)s).",
                day=day,
                start=course.start_date,
                end=course.end_date,
            )
        ]
    elif day > clock.today():
        problems[f"{prefix}assessed_on"] = [_l("%(day)s is in the future.", day=day)]
    return problems


def refusal_for(enrolment: Enrolment, module: Module, attempts: dict) -> str | None:
    """Why this trainee cannot take another attempt at the module now, in words."""
    name = enrolment.trainee.full_name
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return _l("%(name)s was withdrawn from the course.", name=name)
    taken = attempts.get((enrolment.id, module.id), [])
    if taken and taken[-1].passed:
        return _l("%(name)s has already passed %(code)s.", name=name, code=module.code)
    limit = enrolment.course.programme.max_attempts
    if len(taken) >= limit:
        return _l(
            "%(name)s has used all %(n)d attempts at %(code)s.",
            name=name,
            n=limit,
            code=module.code,
        )
    for needed in module.prerequisites:
        result = latest(attempts.get((enrolment.id, needed.id)))
        if result is None or not result.passed:
            return _l(
                "%(name)s has not passed %(needed)s, which %(code)s requires.",
                name=name,
                needed=needed.code,
                code=module.code,
            )
    return None


def record_results(
    course: Course, module: Module, rows: list[tuple[Enrolment, dict]], assessor: User
) -> list[ModuleResult]:
    """Record one attempt per row, all together; or refuse them all, saying why for each."""
    check_assessor(assessor, course)
    if module.programme_id != course.programme_id:
        raise Invalid(_l("%(code)s is not a module of this course.", code=module.code))
    attempts = results_of([enrolment.id for enrolment, _values in rows])
    problems: dict[str, list] = {}
    for index, (enrolment, values) in enumerate(rows):
        prefix = f"{index}." if len(rows) > 1 else ""
        problems.update(_check_values(module, values, course, prefix))
        taken = attempts.get((enrolment.id, module.id), [])
        day = values.get("assessed_on")
        if taken and isinstance(day, date) and day < taken[-1].assessed_on:
            problems.setdefault(f"{prefix}assessed_on", []).append(
                _l(
                    "The previous attempt was on %(day)s: a new one cannot be earlier.",
                    day=taken[-1].assessed_on,
                )
            )
        if reason := refusal_for(enrolment, module, attempts):
            problems.setdefault(f"{prefix}trainee" if prefix else "trainee", []).append(reason)
    if problems:
        first = next(iter(problems.values()))[0]
        raise (Conflict if _only_state(problems) else Invalid)(
            first if len(rows) == 1 else _l("Nothing was saved: some results are not right."),
            problems,
        )
    created = []
    for enrolment, values in rows:
        passed = values["score"] >= module.pass_mark if module.scored else values["passed"]
        result = ModuleResult(
            enrolment=enrolment,
            module=module,
            attempt=len(attempts.get((enrolment.id, module.id), [])) + 1,
            score=values.get("score"),
            passed=passed,
            assessed_on=values["assessed_on"],
            assessor=assessor,
            note=one_line(values.get("note"), 500),
            recorded_at=clock.now(),  # the 24-hour correction window counts from here
        )
        db.session.add(result)
        created.append(result)
    db.session.flush()
    return created


def _only_state(problems: dict) -> bool:
    """Refusals about the trainee's state (attempts, prerequisites) are conflicts, not typos."""
    return all(name.endswith("trainee") for name in problems)


def correct_result(result: ModuleResult, version: int, changes: dict, user: User) -> ModuleResult:
    """Mend a mistyped attempt: its assessor or an administrator, within 24 hours. Values
    that change nothing change nothing: the version and the trail stay as they were."""
    allowed = may_correct_result(user, result, window=False)
    if not allowed:
        raise Forbidden(allowed.reason)
    if version != result.version:
        raise Conflict(_l("Someone else changed this result; reload it and try again."))
    if not (in_time := may_correct_result(user, result)):
        raise Conflict(in_time.reason)
    module = result.module
    values = {
        "score": changes.get("score", result.score),
        # A scored module's pass follows from its score; a pass/fail one keeps its own.
        "passed": changes.get("passed", None if module.scored else result.passed),
        "assessed_on": changes.get("assessed_on", result.assessed_on),
    }
    course = result.enrolment.course
    if problems := _check_values(module, values, course):
        raise Invalid(_l("The correction is not valid."), problems)
    passed = values["score"] >= module.pass_mark if module.scored else values["passed"]
    changes_the_record = (values["score"], passed, values["assessed_on"]) != (
        result.score,
        result.passed,
        result.assessed_on,
    )
    if changes_the_record and (number := held_certificate(result.enrolment_id)):
        # The certificate printed this result: corrected under it, a fail would leave a
        # valid certificate that no checkpoint could tell from a true one.
        raise Conflict(
            _l(
                "Certificate %(number)s was issued on these results: revoke it first, "
                "then correct the result.",
                number=number,
            )
        )
    note = one_line(changes["note"], 500) if "note" in changes else result.note
    if not changes_the_record and note == result.note:
        return result  # saved as it was: nothing is corrected, and the trail says nothing
    result.score = values["score"]
    result.passed = passed
    result.assessed_on = values["assessed_on"]
    result.note = note
    result.corrected_at = clock.now()
    db.session.flush()
    return result
