"""Creating and changing programmes and their modules (services: flush, never commit)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import translated
from core.errors import Conflict, Invalid
from courses.courses import refuse_reschedule_once_started
from courses.plans import refresh_schedule
from courses.presenters import module_values
from extensions import db
from models import Course, CourseStatus, Module, ModuleKind, ModuleResult, Programme

PROGRAMME_FIELDS = (
    "code",
    "title",
    "qualification",
    "duration_days",
    "attendance_threshold",
    "rest_weekdays",
    "max_attempts",
    "validity_months",
    "hours_per_day",
    "title_i18n",
    "qualification_i18n",
    "certificate_approvals",
    "eod_level",
    "eod_modules",
)
DEFAULTS = {
    "title_i18n": {},
    "qualification_i18n": {},
    "certificate_approvals": "none",
    "eod_level": None,
    "eod_modules": [],
    "duration_days": 45,
    "attendance_threshold": 90,
    "rest_weekdays": [6],
    "max_attempts": 2,
    "validity_months": 36,
    "hours_per_day": 8,
}


def find_cycle(prerequisites: dict[str, list[str]]) -> list[str] | None:
    """A prerequisite cycle as [a, b, ..., a], or None. Depth-first, in module order."""
    state: dict[str, str] = {}  # "visiting" or "done"
    path: list[str] = []

    def visit(code: str) -> list[str] | None:
        state[code] = "visiting"
        path.append(code)
        for needed in prerequisites.get(code, []):
            if state.get(needed) == "visiting":
                return [*path[path.index(needed) :], needed]
            if needed not in state and (cycle := visit(needed)):
                return cycle
        path.pop()
        state[code] = "done"
        return None

    for code in prerequisites:
        if code not in state and (cycle := visit(code)):
            return cycle
    return None


def check_programme(values: dict) -> None:
    """Every rule of a programme and its modules; Invalid naming each problem."""
    problems: dict[str, list] = {}
    rest = values.get("rest_weekdays", [])
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in rest):
        problems["rest_weekdays"] = [_l("Rest weekdays are numbers from 0 (Monday) to 6.")]
    elif len(set(rest)) == 7:
        problems["rest_weekdays"] = [_l("At least one weekday must be a training day.")]
    for name, low, high in (
        ("duration_days", 1, 366),
        ("attendance_threshold", 0, 100),
        ("max_attempts", 1, 20),
        ("validity_months", 1, 600),
        ("hours_per_day", 1, 24),
    ):
        if not low <= values[name] <= high:
            problems[name] = [_l("Must be between %(low)d and %(high)d.", low=low, high=high)]

    problems.update(_eod_problems(values))
    modules = values.get("modules", [])
    if not modules:
        problems["modules"] = [_l("A programme has at least one module.")]
    codes = [module["code"] for module in modules]
    seen: set[str] = set()
    for index, module in enumerate(modules):
        prefix = f"modules.{index}"
        if module["code"] in seen:
            problems[f"{prefix}.code"] = [
                _l("Module code %(code)s is used twice.", code=module["code"])
            ]
        seen.add(module["code"])
        if module["hours"] <= 0:
            problems[f"{prefix}.hours"] = [_l("Hours must be more than 0.")]
        problems.update(_pass_mark_problems(prefix, module))
        for needed in module.get("prerequisites", []):
            if needed not in codes:
                problems.setdefault(f"{prefix}.prerequisites", []).append(
                    _l("%(code)s is not a module of this programme.", code=needed)
                )
            elif needed == module["code"]:
                problems.setdefault(f"{prefix}.prerequisites", []).append(
                    _l("A module cannot be its own prerequisite.")
                )
    if not problems and (
        cycle := find_cycle({m["code"]: m.get("prerequisites", []) for m in modules})
    ):
        problems["modules"] = [
            _l("The prerequisites form a cycle: %(cycle)s.", cycle=" → ".join(cycle))
        ]
    if problems:
        raise Invalid(_l("The programme cannot be saved as it is."), problems)


def _eod_problems(values: dict) -> dict:
    # Only EOD 3+ names the specialised modules it covers (IMAS 09.30).
    for name in ("title_i18n", "qualification_i18n"):
        values[name] = translated.clean(values.get(name))
    values["eod_modules"] = [" ".join(m.split()) for m in values.get("eod_modules") or []]
    if values["eod_modules"] and values.get("eod_level") != "3+":
        return {"eod_modules": [_l("Only an EOD 3+ qualification lists its modules.")]}
    if values.get("eod_level") == "3+" and not values["eod_modules"]:
        return {"eod_modules": [_l("Name the EOD 3+ modules this qualification covers.")]}
    return {}


def _pass_mark_problems(prefix: str, module: dict) -> dict:
    pass_mark = module.get("pass_mark")
    if module["kind"] == ModuleKind.THEORY:
        if pass_mark is None:
            return {f"{prefix}.pass_mark": [_l("A theory module needs a pass mark (0-100).")]}
        if not 0 <= pass_mark <= 100:
            return {f"{prefix}.pass_mark": [_l("The pass mark must be between 0 and 100.")]}
    elif pass_mark is not None:
        return {
            f"{prefix}.pass_mark": [
                _l("Practical and field modules are assessed as pass or fail: leave it empty.")
            ]
        }
    return {}


def create_programme(values: dict) -> Programme:
    values = {**DEFAULTS, **values}
    check_programme(values)
    _check_code_free(values["code"])
    programme = Programme(**{name: values[name] for name in PROGRAMME_FIELDS})
    db.session.add(programme)
    _replace_modules(programme, values["modules"])
    db.session.flush()
    return programme


def update_programme(programme: Programme, version: int, changes: dict) -> Programme:
    """Change a programme; its courses that have not started follow (dates, plans)."""
    if version != programme.version:
        raise Conflict(_l("Someone else changed this programme; reload it and try again."))
    values = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    values["modules"] = [module_values(module) for module in programme.modules]
    values.update(changes)
    check_programme(values)
    if values["code"] != programme.code:
        _check_code_free(values["code"])
    kept_codes = {module["code"] for module in values["modules"]}
    assessed = _assessed([m for m in programme.modules if m.code not in kept_codes])
    if assessed:
        message = _l(
            "Modules with recorded results cannot be removed: %(codes)s.",
            codes=", ".join(sorted(assessed)),
        )
        raise Conflict(message, {"modules": [message]})
    schedule_changes = (
        any(
            values[name] != getattr(programme, name)
            for name in ("duration_days", "rest_weekdays", "hours_per_day")
        )
        or "modules" in changes
        and _hours_changed(programme, values["modules"])
    )
    courses = db.session.scalars(select(Course).where(Course.programme_id == programme.id)).all()
    if schedule_changes:
        for course in courses:
            if course.status != CourseStatus.CANCELLED:
                refuse_reschedule_once_started(course)
    for name in PROGRAMME_FIELDS:
        setattr(programme, name, values[name])
    if "modules" in changes:
        _replace_modules(programme, values["modules"])
    db.session.flush()
    if schedule_changes:
        for course in courses:
            if course.status != CourseStatus.CANCELLED:
                _refresh_for(course)
    return programme


def _refresh_for(course: Course) -> None:
    """Remake a course's schedule; a refusal names the course it concerns."""
    try:
        refresh_schedule(course)
    except Invalid as error:
        details = [str(m) for messages in error.fields.values() for m in messages]
        raise Invalid(
            _l(
                "Course %(code)s would no longer work: %(problem)s",
                code=course.code,
                problem=" ".join([str(error.message), *details]),
            ),
            {"modules": [_l("Course %(code)s would no longer work.", code=course.code)]},
        ) from error


def _assessed(modules: list[Module]) -> set[str]:
    """The codes of these modules that have any result: their removal would lose records."""
    if not modules:
        return set()
    ids = {module.id: module.code for module in modules if module.id is not None}
    results = db.session.scalars(
        select(ModuleResult.module_id).where(ModuleResult.module_id.in_(list(ids))).distinct()
    )
    return {ids[module_id] for module_id in results}


def _hours_changed(programme: Programme, modules: list[dict]) -> bool:
    before = [(module.code, module.hours) for module in programme.modules]
    return before != [(module["code"], module["hours"]) for module in modules]


def _check_code_free(code: str) -> None:
    if db.session.scalar(select(Programme.id).where(Programme.code == code)) is not None:
        message = _l("A programme with code %(code)s already exists.", code=code)
        raise Conflict(message, {"code": [message]})


def _replace_modules(programme: Programme, modules: list[dict]) -> None:
    """Keep modules whose code stays (their results and plan follow them); add, drop the rest."""
    existing = {module.code: module for module in programme.modules}
    kept = []
    for position, values in enumerate(modules, start=1):
        module = existing.pop(values["code"], None) or Module(code=values["code"])
        module.position = position
        for name in ("title", "hours", "kind", "pass_mark", "mandatory"):
            setattr(module, name, values.get(name, True if name == "mandatory" else None))
        module.title_i18n = translated.clean(values.get("title_i18n"))
        kept.append(module)
    for removed in existing.values():
        db.session.delete(removed)
    programme.modules = kept
    db.session.flush()
    by_code = {module.code: module for module in kept}
    for module, values in zip(kept, modules, strict=True):
        module.prerequisites = [by_code[code] for code in values.get("prerequisites", [])]
