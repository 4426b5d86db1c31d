"""The programmes API: defaults, every refusal with its words, access, versions, courses."""

import pytest
from sqlalchemy import select

from extensions import db
from models import Course, Module, PlanEntry, Programme
from models.account import Role
from tests.scenarios.api_base import error_of

PROGRAMMES = "/api/v1/programmes"


def module(code, hours=8, kind="theory", **extra):
    values = {"code": code, "title": f"Module {code}", "hours": hours, "kind": kind}
    values["pass_mark"] = 70 if kind == "theory" else None
    return {**values, **extra}


def programme(code="EOD-1", modules=None, **extra):
    return {
        "code": code,
        "title": "Humanitarian demining",
        "qualification": "EOD Level 1",
        "modules": modules or [module("A"), module("B", kind="practical")],
        **extra,
    }


def stored_programmes(app) -> list[tuple[str, int]]:
    with app.app_context():
        return [(p.code, p.version) for p in db.session.scalars(select(Programme))]


@pytest.fixture
def admin(accounts):
    return accounts.bearer(Role.ADMIN)


def create(client, headers, body):
    response = client.post(PROGRAMMES, headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json


def change(client, headers, programme_id, **changes):
    body = {"version": 1, **changes}
    return client.patch(f"{PROGRAMMES}/{programme_id}", headers=headers, json=body)


def set_status(client, headers, course, status):
    body = {"version": course["version"], "status": status}
    response = client.patch(f"/api/v1/courses/{course['id']}", headers=headers, json=body)
    assert response.status_code == 200, response.text
    return response.json


def create_course(client, headers, programme_id, **extra):
    body = {
        "programme_id": programme_id,
        "code": "AGH-2021",
        "title": "Aghdam 2021",
        "start_date": "2021-01-11",
        "location": "Aghdam",
        "capacity": 20,
        "holidays": ["2021-01-20"],
        **extra,
    }
    response = client.post("/api/v1/courses", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json


# --- creating ---------------------------------------------------------------------


def test_programme_created_with_defaults(app, client, admin):
    body = programme(modules=[module("A", 30), module("B", 10, "field", prerequisites=["A"])])
    created = create(client, admin, body)
    expected = {"duration_days": 45, "attendance_threshold": 90, "rest_weekdays": [6]}
    expected |= {"max_attempts": 2, "validity_months": 36, "hours_per_day": 8}
    assert {key: created[key] for key in expected} == expected
    assert created["total_hours"] == 40 and created["version"] == 1
    assert created["modules"][1] == {
        **module("B", 10, "field"),
        "title_i18n": {},
        "mandatory": True,
        "prerequisites": ["A"],
    }
    assert client.get(f"{PROGRAMMES}/{created['id']}", headers=admin).json == created
    with app.app_context():
        stored = db.session.get(Programme, created["id"])
        assert [m.code for m in stored.modules] == ["A", "B"]
        assert [m.code for m in stored.modules[1].prerequisites] == ["A"]


HOURS = "Must be greater than or equal to 1 and less than or equal to 10000."
MARK = "Must be greater than or equal to 0 and less than or equal to 100."
PASS_FAIL = "Practical and field modules are assessed as pass or fail: leave it empty."
CYCLE = [module("A", prerequisites=["C"]), module("B", prerequisites=["A"])]
CYCLE.append(module("C", prerequisites=["B"]))
REFUSALS = {
    "duplicate-code": ([module("A"), module("A")], "1.code", "Module code A is used twice."),
    "hours-0": ([module("A", hours=0)], "0.hours", HOURS),
    "hours-negative": ([module("A", hours=-8)], "0.hours", HOURS),
    "pass-mark-101": ([module("A", pass_mark=101)], "0.pass_mark", MARK),
    "pass-mark-negative": ([module("A", pass_mark=-1)], "0.pass_mark", MARK),
    "unknown-prerequisite": (
        [module("A", prerequisites=["Z"])],
        "0.prerequisites",
        "Z is not a module of this programme.",
    ),
    "own-prerequisite": (
        [module("A", prerequisites=["A"])],
        "0.prerequisites",
        "A module cannot be its own prerequisite.",
    ),
    "cycle": (CYCLE, "", "The prerequisites form a cycle: A → C → B → A."),
    "theory-without-pass-mark": (
        [module("A", pass_mark=None)],
        "0.pass_mark",
        "A theory module needs a pass mark (0-100).",
    ),
    "practical-with-pass-mark": (
        [module("A", kind="practical", pass_mark=50)],
        "0.pass_mark",
        PASS_FAIL,
    ),
    "field-with-pass-mark": ([module("A", kind="field", pass_mark=50)], "0.pass_mark", PASS_FAIL),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_invalid_programme_refused_with_field_message(app, client, admin, case):
    modules, field, message = REFUSALS[case]
    response = client.post(PROGRAMMES, headers=admin, json=programme(modules=modules))
    error = error_of(response, 422, "validation_error")
    assert message in error["fields"][f"modules.{field}".rstrip(".")]
    assert stored_programmes(app) == []


def test_all_seven_rest_weekdays_refused(app, client, admin):
    body = programme(rest_weekdays=[0, 1, 2, 3, 4, 5, 6])
    error = error_of(client.post(PROGRAMMES, headers=admin, json=body), 422, "validation_error")
    assert error["fields"]["rest_weekdays"] == ["At least one weekday must be a training day."]
    assert stored_programmes(app) == []


def test_rest_weekday_outside_monday_to_sunday_refused(app, client, admin):
    body = programme(rest_weekdays=[7])
    error = error_of(client.post(PROGRAMMES, headers=admin, json=body), 422, "validation_error")
    assert "rest_weekdays.0" in error["fields"]
    assert stored_programmes(app) == []


def test_duplicate_programme_code_is_409(app, client, admin):
    create(client, admin, programme())
    response = client.post(PROGRAMMES, headers=admin, json=programme(title="Other"))
    error = error_of(response, 409, "conflict")
    assert error["fields"]["code"] == ["A programme with code EOD-1 already exists."]
    assert stored_programmes(app) == [("EOD-1", 1)]


# --- access -----------------------------------------------------------------------


def test_instructor_may_read_programmes_but_not_write(client, accounts, admin):
    created = create(client, admin, programme())
    instructor = accounts.bearer(Role.INSTRUCTOR)
    listing = client.get(PROGRAMMES, headers=instructor)
    assert listing.status_code == 200 and listing.json["total"] == 1
    assert client.get(f"{PROGRAMMES}/{created['id']}", headers=instructor).status_code == 200
    post = client.post(PROGRAMMES, headers=instructor, json=programme(code="EOD-2"))
    error_of(post, 403, "forbidden")
    patch = change(client, instructor, created["id"], title="X")
    error_of(patch, 403, "forbidden")
    assert client.get(f"{PROGRAMMES}/{created['id']}", headers=admin).json == created


def test_trainee_may_not_read_programmes(client, accounts, admin):
    created = create(client, admin, programme())
    trainee = accounts.bearer(Role.TRAINEE)
    error_of(client.get(PROGRAMMES, headers=trainee), 403, "forbidden")
    error_of(client.get(f"{PROGRAMMES}/{created['id']}", headers=trainee), 403, "forbidden")


# --- changing ---------------------------------------------------------------------


def test_patch_with_stale_version_is_409_and_changes_nothing(app, client, admin):
    created = create(client, admin, programme())
    url = f"{PROGRAMMES}/{created['id']}"
    first = client.patch(url, headers=admin, json={"version": 1, "title": "First"})
    assert first.status_code == 200 and first.json["version"] == 2
    stale = client.patch(url, headers=admin, json={"version": 1, "title": "Second"})
    error = error_of(stale, 409, "conflict")
    assert error["message"] == "Someone else changed this programme; reload it and try again."
    assert client.get(url, headers=admin).json == first.json


def test_patch_seven_rest_weekdays_refused(client, admin):
    created = create(client, admin, programme())
    url = f"{PROGRAMMES}/{created['id']}"
    response = client.patch(url, headers=admin, json={"version": 1, "rest_weekdays": [*range(7)]})
    assert "rest_weekdays" in error_of(response, 422, "validation_error")["fields"]
    assert client.get(url, headers=admin).json == created


def test_patch_modules_keeps_module_identity_by_code(app, client, admin):
    created = create(client, admin, programme())
    with app.app_context():
        ids = {m.code: m.id for m in db.session.scalars(select(Module))}
    new_modules = [module("B", kind="practical", title="Renamed"), module("C"), module("A", 16)]
    response = change(client, admin, created["id"], modules=new_modules)
    assert response.status_code == 200, response.text
    assert [m["code"] for m in response.json["modules"]] == ["B", "C", "A"]
    assert response.json["modules"][0]["title"] == "Renamed"
    with app.app_context():
        stored = db.session.get(Programme, created["id"]).modules
        assert [(m.code, m.position) for m in stored] == [("B", 1), ("C", 2), ("A", 3)]
        assert {m.code: m.id for m in stored if m.code != "C"} == ids


def test_dropping_a_module_and_the_prerequisite_on_it_is_saved(app, client, admin):
    modules = [module("A"), module("B", prerequisites=["A"])]
    created = create(client, admin, programme(modules=modules))
    response = change(client, admin, created["id"], modules=[module("B")])
    assert response.status_code == 200, response.text
    assert response.json["modules"] == [
        {**module("B"), "title_i18n": {}, "mandatory": True, "prerequisites": []}
    ]
    with app.app_context():
        assert db.session.scalars(select(Module.code)).all() == ["B"]
        assert (
            db.session.scalars(select(Module).where(Module.code == "B")).one().prerequisites == []
        )


def test_change_that_no_longer_fits_a_planned_course_is_refused(app, client, admin):
    created = create(client, admin, programme(modules=[module("A", 300)]))
    course = create_course(client, admin, created["id"])
    with app.app_context():
        plan_before = db.session.scalars(select(PlanEntry.day, PlanEntry.hours)).all()
    response = change(client, admin, created["id"], modules=[module("A", 321)])  # 41 days
    error = error_of(response, 422, "validation_error")
    assert error["message"] == (
        "Course AGH-2021 would no longer work: The modules do not fit: they need 41 training "
        "days, the course has 38."
    )
    assert client.get(f"{PROGRAMMES}/{created['id']}", headers=admin).json == created
    with app.app_context():
        assert db.session.scalars(select(PlanEntry.day, PlanEntry.hours)).all() == plan_before
        assert db.session.get(Course, course["id"]).version == course["version"]


def test_shorter_duration_moves_a_planned_course_end_date(client, admin):
    created = create(client, admin, programme())
    course = create_course(client, admin, created["id"], holidays=[])
    response = change(client, admin, created["id"], duration_days=30)
    assert response.status_code == 200, response.text
    moved = client.get(f"/api/v1/courses/{course['id']}", headers=admin).json
    assert moved["end_date"] == "2021-02-09"
    assert moved["training_days"][-1] == "2021-02-09"


def test_schedule_change_refused_once_a_course_has_started(app, client, admin):
    created = create(client, admin, programme())
    course = create_course(client, admin, created["id"], status="open")
    set_status(client, admin, course, "in_progress")
    response = change(client, admin, created["id"], hours_per_day=6)
    error = error_of(response, 409, "conflict")
    assert error["message"] == (
        "Course AGH-2021 has started: its programme, dates and holidays can no longer change."
    )
    assert client.get(f"{PROGRAMMES}/{created['id']}", headers=admin).json == created
    renamed = change(client, admin, created["id"], title="Renamed")
    assert renamed.status_code == 200  # what does not move the days may still change


def test_reinstated_course_plans_modules_added_while_it_was_cancelled(client, admin):
    created = create(client, admin, programme())
    course = create_course(client, admin, created["id"])
    cancelled = set_status(client, admin, course, "cancelled")
    changed = change(client, admin, created["id"], modules=[*created["modules"], module("C")])
    assert changed.status_code == 200, changed.text
    set_status(client, admin, cancelled, "planned")
    plan = client.get(f"/api/v1/courses/{course['id']}/plan", headers=admin).json
    assert {code for day in plan for code in day["modules"]} == {"A", "B", "C"}


def test_shorter_programme_leaves_no_holiday_outside_a_course(client, admin):
    created = create(client, admin, programme())
    course = create_course(client, admin, created["id"], holidays=["2021-02-20"])
    response = change(client, admin, created["id"], duration_days=30)
    if response.status_code == 200:
        moved = client.get(f"/api/v1/courses/{course['id']}", headers=admin).json
        assert all(day <= moved["end_date"] for day in moved["holidays"])
    else:
        error_of(response, 422, "validation_error")
