"""The courses API (dates, plan, refusals, statuses, who sees what) and organisations."""

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Course, Organisation
from models.account import Role
from tests.factories import freeze
from tests.scenarios.api_base import error_of

COURSES = "/api/v1/courses"
FULL = {"code": "AGH-2021", "title": "Aghdam 2021", "location": "Aghdam", "capacity": 20}


@pytest.fixture
def admin(accounts):
    return accounts.bearer(Role.ADMIN)


@pytest.fixture
def programme_id(client, admin):
    """Z 12 h, A 10 h, M 2 h: three training days, in an order that is not alphabetical."""
    modules = [
        {"code": "Z", "title": "Ordnance", "hours": 12, "kind": "theory", "pass_mark": 70},
        {"code": "A", "title": "Mine fields", "hours": 10, "kind": "practical", "pass_mark": None},
        {"code": "M", "title": "Marking", "hours": 2, "kind": "field", "pass_mark": None},
    ]
    body = {"code": "EOD-1", "title": "Demining", "qualification": "EOD 1", "modules": modules}
    response = client.post("/api/v1/programmes", headers=admin, json=body)
    assert response.status_code == 201, response.text
    return response.json["id"]


def course_body(programme_id, **extra):
    dates = {"start_date": "2021-01-11", "holidays": ["2021-01-20"]}
    return {"programme_id": programme_id, **FULL, **dates, **extra}


def create(client, headers, programme_id, **extra):
    response = client.post(COURSES, headers=headers, json=course_body(programme_id, **extra))
    assert response.status_code == 201, response.text
    return response.json


def count_courses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Course.id)))


def patch(client, headers, course, **changes):
    url = f"{COURSES}/{course['id']}"
    return client.patch(url, headers=headers, json={"version": course["version"], **changes})


# --- creating ---------------------------------------------------------------------


def test_course_gets_end_date_and_training_days(app, client, admin, programme_id):
    assert post_organisation(client, admin).status_code == 201
    course = create(client, admin, programme_id, quotas={"AZ-MES": 12})
    assert course["end_date"] == "2021-02-24" and course["quotas"] == {"AZ-MES": 12}
    assert course["status"] == "planned" and course["holidays"] == ["2021-01-20"]
    assert len(course["training_days"]) == 38
    assert "2021-01-17" not in course["training_days"]  # a Sunday
    assert "2021-01-20" not in course["training_days"]  # the holiday
    assert client.get(f"{COURSES}/{course['id']}", headers=admin).json == course
    assert count_courses(app) == 1


def test_plan_lists_every_training_day_with_modules_in_programme_order(client, admin, programme_id):
    course = create(client, admin, programme_id)
    plan = client.get(f"{COURSES}/{course['id']}/plan", headers=admin)
    assert plan.status_code == 200
    assert [day["date"] for day in plan.json] == course["training_days"]
    assert plan.json[:4] == [
        {"date": "2021-01-11", "modules": ["Z"]},
        {"date": "2021-01-12", "modules": ["Z", "A"]},
        {"date": "2021-01-13", "modules": ["A", "M"]},
        {"date": "2021-01-14", "modules": []},
    ]


OUTSIDE = "Mar 1, 2021 is outside the course (Jan 11, 2021 to Feb 24, 2021)."
RANGE = "Must be greater than or equal to 1 and less than or equal to 10000."
REFUSALS = {
    "capacity-0": ({"capacity": 0}, "capacity", RANGE),
    "programme": ({"programme_id": 999}, "programme_id", "There is no programme number 999."),
    "quota": ({"quotas": {"NOPE": 5}}, "quotas", "There is no organisation with code NOPE."),
    "holiday": ({"holidays": ["2021-03-01"]}, "holidays", OUTSIDE),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_invalid_course_refused(app, client, admin, programme_id, case):
    change, field, message = REFUSALS[case]
    response = client.post(COURSES, headers=admin, json={**course_body(programme_id), **change})
    assert error_of(response, 422, "validation_error")["fields"][field] == [message]
    assert count_courses(app) == 0


@pytest.mark.parametrize("kind", ["admin", "inactive", "trainee", "unknown"])
def test_course_refused_when_instructor_is_not_an_active_instructor(
    app, client, accounts, admin, programme_id, kind
):
    if kind == "unknown":
        user_id, message = 424242, "There is no account number 424242."
    else:
        role = Role.INSTRUCTOR if kind == "inactive" else Role(kind)
        account = accounts.make(role, full_name="Elçin Məmmədov", active=kind != "inactive")
        user_id, message = account["id"], "Elçin Məmmədov is not an active instructor."
    response = client.post(
        COURSES, headers=admin, json=course_body(programme_id, instructor_ids=[user_id])
    )
    assert error_of(response, 422, "validation_error")["fields"]["instructor_ids"] == [message]
    assert count_courses(app) == 0


def test_course_refused_when_plan_does_not_fit(app, client, admin, programme_id):
    modules = [{"code": "Z", "title": "All", "hours": 321, "kind": "field", "pass_mark": None}]
    change = {"version": 1, "modules": modules}  # 41 days of 8 hours
    changed = client.patch(f"/api/v1/programmes/{programme_id}", headers=admin, json=change)
    assert changed.status_code == 200, changed.text
    response = client.post(COURSES, headers=admin, json=course_body(programme_id))
    error = error_of(response, 422, "validation_error")
    assert "they need 41 training days, the course has 38" in error["message"]
    assert count_courses(app) == 0


def test_duplicate_course_code_is_409(app, client, admin, programme_id):
    create(client, admin, programme_id)
    response = client.post(COURSES, headers=admin, json=course_body(programme_id, title="Other"))
    error = error_of(response, 409, "conflict")
    assert error["fields"]["code"] == ["A course with code AGH-2021 already exists."]
    assert count_courses(app) == 1


# --- editing the plan -------------------------------------------------------------


def put_plan(client, headers, course, days, version=None):
    body = {"version": version or course["version"], "days": days}
    return client.put(f"{COURSES}/{course['id']}/plan", headers=headers, json=body)


def test_administrator_moves_modules_to_other_days(client, admin, programme_id):
    course = create(client, admin, programme_id)
    days = [
        {"date": "2021-01-13", "modules": ["Z"]},
        {"date": "2021-01-14", "modules": ["A", "Z"]},
        {"date": "2021-01-15", "modules": ["M", "A"]},
    ]
    response = put_plan(client, admin, course, days)
    assert response.status_code == 200, response.text
    assert response.json[:5] == [
        {"date": "2021-01-11", "modules": []},
        {"date": "2021-01-12", "modules": []},
        {"date": "2021-01-13", "modules": ["Z"]},
        {"date": "2021-01-14", "modules": ["Z", "A"]},
        {"date": "2021-01-15", "modules": ["A", "M"]},
    ]
    current = client.get(f"{COURSES}/{course['id']}", headers=admin).json
    renamed = patch(client, admin, current, title="New")
    assert renamed.status_code == 200, renamed.text  # not a change of dates: the plan stays
    assert client.get(f"{COURSES}/{course['id']}/plan", headers=admin).json == response.json
    stale = put_plan(client, admin, course, days)  # the version has moved on
    assert error_of(stale, 409, "conflict")["message"] == (
        "Someone else changed this course; reload it and try again."
    )


ALL = ["Z", "A", "M"]
NO_ROOM = "Module Z needs 12 hours; its days leave room for only 8. Give it more training days."
PLAN_REFUSALS = [
    ("2021-01-17", ALL, "Jan 17, 2021 is not a training day of this course."),  # a Sunday
    ("2021-01-20", ALL, "Jan 20, 2021 is not a training day of this course."),  # the holiday
    ("2021-03-01", ALL, "Mar 1, 2021 is not a training day of this course."),  # after the end
    ("2021-01-12", ["Z"], "Module A has no training day."),
    ("2021-01-12", ["A", "M"], NO_ROOM),
    ("2021-01-12", [*ALL, "Q"], "Not modules of this programme: Q."),
]


@pytest.mark.parametrize(("day", "modules", "message"), PLAN_REFUSALS)
def test_plan_refused_with_its_reason(app, client, admin, programme_id, day, modules, message):
    course = create(client, admin, programme_id)
    before = client.get(f"{COURSES}/{course['id']}/plan", headers=admin).json
    days = [{"date": "2021-01-11", "modules": ["Z"]}, {"date": day, "modules": modules}]
    response = put_plan(client, admin, course, days)
    assert error_of(response, 422, "validation_error")["fields"]["plan"] == [message]
    assert client.get(f"{COURSES}/{course['id']}/plan", headers=admin).json == before
    assert client.get(f"{COURSES}/{course['id']}", headers=admin).json == course


# --- statuses ---------------------------------------------------------------------


def test_planned_course_opens_but_cannot_complete(app, client, admin, programme_id):
    course = create(client, admin, programme_id)
    error = error_of(patch(client, admin, course, status="completed"), 409, "conflict")
    assert error["message"] == "A course that is planned cannot become completed."
    assert client.get(f"{COURSES}/{course['id']}", headers=admin).json == course
    opened = patch(client, admin, course, status="open")
    assert opened.status_code == 200 and opened.json["status"] == "open"


def test_course_starts_on_its_first_day_in_baku(client, admin, programme_id, monkeypatch):
    course = create(client, admin, programme_id, status="open")
    freeze(monkeypatch, 2021, 1, 10, 19, 59)  # 23:59 in Baku, the day before
    early = error_of(patch(client, admin, course, status="in_progress"), 409, "conflict")
    assert early["fields"]["status"] == ["The course starts on Jan 11, 2021."]
    assert client.get(f"{COURSES}/{course['id']}", headers=admin).json["status"] == "open"
    freeze(monkeypatch, 2021, 1, 10, 20, 0)  # midnight in Baku
    assert patch(client, admin, course, status="in_progress").json["status"] == "in_progress"


def test_course_completes_only_after_its_last_day(client, admin, programme_id, monkeypatch):
    freeze(monkeypatch, 2021, 1, 12, 9, 0)
    course = create(client, admin, programme_id, status="open")
    course = patch(client, admin, course, status="in_progress").json
    freeze(monkeypatch, 2021, 2, 24, 12, 0)
    error = error_of(patch(client, admin, course, status="completed"), 409, "conflict")
    assert error["message"] == (
        "The course ends on Feb 24, 2021: it can be completed only after its last day."
    )
    assert client.get(f"{COURSES}/{course['id']}", headers=admin).json == course
    freeze(monkeypatch, 2021, 2, 24, 21, 0)  # already 25 February in Baku
    assert patch(client, admin, course, status="completed").json["status"] == "completed"


def test_started_course_keeps_its_dates(app, client, admin, programme_id):
    course = create(client, admin, programme_id, status="open")
    course = patch(client, admin, course, status="in_progress").json
    for change in ({"start_date": "2021-01-12"}, {"holidays": []}):
        error = error_of(patch(client, admin, course, **change), 409, "conflict")
        assert error["message"] == (
            "Course AGH-2021 has started: its programme, dates and holidays can no longer change."
        )
    assert client.get(f"{COURSES}/{course['id']}", headers=admin).json == course


def test_same_holidays_in_another_order_change_nothing(client, admin, programme_id):
    course = create(client, admin, programme_id, holidays=["2021-01-19", "2021-01-20"])
    course = patch(client, admin, course, status="open").json
    course = patch(client, admin, course, status="in_progress").json
    response = patch(client, admin, course, holidays=["2021-01-20", "2021-01-19"])
    assert response.status_code == 200, response.text


def test_new_start_date_moves_end_date_and_plan(client, admin, programme_id):
    course = create(client, admin, programme_id)
    moved = patch(client, admin, course, start_date="2021-01-18")
    assert moved.status_code == 200, moved.text
    assert moved.json["end_date"] == "2021-03-03" and len(moved.json["training_days"]) == 38
    plan = client.get(f"{COURSES}/{course['id']}/plan", headers=admin).json
    assert plan[0] == {"date": "2021-01-18", "modules": ["Z"]}


def test_new_start_date_refused_when_a_holiday_falls_outside(client, admin, programme_id):
    course = create(client, admin, programme_id)
    error = error_of(patch(client, admin, course, start_date="2021-01-21"), 422, "validation_error")
    assert error["fields"]["holidays"] == [
        "Jan 20, 2021 is outside the course (Jan 21, 2021 to Mar 6, 2021)."
    ]
    assert client.get(f"{COURSES}/{course['id']}", headers=admin).json == course


def test_stale_course_version_is_409_and_changes_nothing(app, client, admin, programme_id):
    course = create(client, admin, programme_id)
    first = patch(client, admin, course, title="First")
    assert first.status_code == 200 and first.json["version"] == course["version"] + 1
    error_of(patch(client, admin, course, title="Second", capacity=5), 409, "conflict")
    assert client.get(f"{COURSES}/{course['id']}", headers=admin).json == first.json


# --- who sees what ----------------------------------------------------------------


def test_instructor_sees_only_own_courses(client, accounts, admin, programme_id):
    teacher = accounts.make(Role.INSTRUCTOR)
    own = create(client, admin, programme_id, code="OWN", instructor_ids=[teacher["id"]])
    other = create(client, admin, programme_id, code="OTHER")
    headers = {"Authorization": f"Bearer {accounts.token(teacher)}"}
    listing = client.get(COURSES, headers=headers).json
    assert listing == {"items": [own], "total": 1}
    assert client.get(f"{COURSES}/{own['id']}/plan", headers=headers).status_code == 200
    error_of(client.get(f"{COURSES}/{other['id']}", headers=headers), 403, "forbidden")
    error_of(client.get(f"{COURSES}/{other['id']}/plan", headers=headers), 403, "forbidden")
    error_of(patch(client, headers, own, title="Mine"), 403, "forbidden")
    error_of(put_plan(client, headers, own, []), 403, "forbidden")


def test_trainee_may_not_use_courses(client, accounts, admin, programme_id):
    course = create(client, admin, programme_id)
    trainee = accounts.bearer(Role.TRAINEE)
    error_of(client.get(COURSES, headers=trainee), 403, "forbidden")
    error_of(client.get(f"{COURSES}/{course['id']}", headers=trainee), 403, "forbidden")
    error_of(client.get(f"{COURSES}/{course['id']}/plan", headers=trainee), 403, "forbidden")
    error_of(client.post(COURSES, headers=trainee, json=course_body(1)), 403, "forbidden")


def test_courses_filtered_by_status(client, admin, programme_id):
    planned = create(client, admin, programme_id, code="P")
    opened = create(client, admin, programme_id, code="O", status="open")
    assert client.get(f"{COURSES}?status=open", headers=admin).json["items"] == [opened]
    assert client.get(f"{COURSES}?status=planned", headers=admin).json["items"] == [planned]
    assert client.get(f"{COURSES}?status=cancelled", headers=admin).json["total"] == 0
    error_of(client.get(f"{COURSES}?status=finished", headers=admin), 422, "validation_error")


# --- organisations ----------------------------------------------------------------

ORGANISATION = {"code": "AZ-MES", "name": "Emergency Situations", "country": "AZ", "language": "az"}


def post_organisation(client, headers, **changes):
    return client.post("/api/v1/organisations", headers=headers, json=ORGANISATION | changes)


def test_organisation_created_and_duplicate_code_is_409(app, client, admin):
    created = post_organisation(client, admin)
    assert created.status_code == 201, created.text
    assert created.json == {**ORGANISATION, "name_i18n": {}, "id": created.json["id"], "version": 1}
    error = error_of(post_organisation(client, admin, language="ru"), 409, "conflict")
    assert error["fields"]["code"] == ["An organisation with code AZ-MES already exists."]
    with app.app_context():
        assert db.session.scalars(select(Organisation.language)).all() == ["az"]


def test_a_second_organisation_of_the_same_name_is_409(app, client, admin):
    """Approvers are matched to the organisations a certificate names: a second
    "Emergency Situations" would approve, and read, for the first."""
    assert post_organisation(client, admin).status_code == 201
    error = error_of(post_organisation(client, admin, code="XX-DUP"), 409, "conflict")
    assert error["fields"]["name"] == ["An organisation named Emergency Situations already exists."]
    other = post_organisation(client, admin, code="RU-MCHS", name="EMERCOM")
    assert other.status_code == 201
    url = f"/api/v1/organisations/{other.json['id']}"
    renamed = client.patch(url, headers=admin, json={"name": "Emergency Situations", "version": 1})
    assert error_of(renamed, 409, "conflict")["fields"]["name"]
    with app.app_context():
        assert sorted(db.session.scalars(select(Organisation.name))) == [
            "EMERCOM",
            "Emergency Situations",
        ]


@pytest.mark.parametrize("lookalike", ["Emergency Situations ", "  emergency  SITUATIONS"])
def test_a_name_differing_only_in_spaces_or_case_is_the_same_name(app, client, admin, lookalike):
    assert post_organisation(client, admin).status_code == 201
    error = error_of(
        post_organisation(client, admin, code="XX-DUP", name=lookalike), 409, "conflict"
    )
    assert error["fields"]["name"]
    spaced = post_organisation(client, admin, code="RU-MCHS", name=" EMERCOM   of Russia ")
    assert spaced.status_code == 201, spaced.text
    assert (spaced.json["code"], spaced.json["name"]) == ("RU-MCHS", "EMERCOM of Russia")
    url = f"/api/v1/organisations/{spaced.json['id']}"
    recased = client.patch(url, headers=admin, json={"name": "EMERCOM OF RUSSIA", "version": 1})
    assert recased.status_code == 200, recased.text  # its own name, written otherwise
    blank = client.patch(url, headers=admin, json={"name": "   ", "version": 2})
    assert error_of(blank, 422, "validation_error")["fields"]["name"]
    with app.app_context():
        assert sorted(db.session.scalars(select(Organisation.name))) == [
            "EMERCOM OF RUSSIA",
            "Emergency Situations",
        ]


COUNTRY = "Not an ISO 3166 alpha-2 country code."


BAD_ORGANISATIONS = {
    "country-XX": ({"country": "XX"}, "country", COUNTRY),
    "country-AZE": ({"country": "AZE"}, "country", COUNTRY),
    "language-de": ({"language": "de"}, "language", "Must be one of: az, ru, en."),
}


@pytest.mark.parametrize("case", BAD_ORGANISATIONS)
def test_invalid_organisation_refused(app, client, admin, case):
    change, field, message = BAD_ORGANISATIONS[case]
    response = post_organisation(client, admin, **change)
    assert error_of(response, 422, "validation_error")["fields"][field] == [message]
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0
