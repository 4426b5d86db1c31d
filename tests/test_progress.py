"""Progress and certificate eligibility: every condition, what is missing in words, at risk."""

from datetime import date, timedelta

import pytest

from extensions import db
from models import Enrolment
from models.account import Role
from tests.factories import freeze, module
from tests.scenarios.api_base import error_of
from tests.scenarios.progress import take
from tests.scenarios.results_api import attempt, bearer, make_setup
from trainees.progress import enrolment_progress

# A five-day course: Monday 2021-01-11 to Friday 2021-01-15, every day a training day.
DAYS = [date(2021, 1, 11) + timedelta(days=n) for n in range(5)]
SHORT = {"programme": {"duration_days": 5}, "holidays": ()}
MODULES = [
    module("T1", hours=8, pass_mark=70),
    module("P1", hours=8, kind="practical", prerequisites=["T1"]),
    module("F1", hours=8, kind="field", mandatory=False),
]


def setup_of(app, accounts, monkeypatch, today, programme=None, **values):
    freeze(monkeypatch, today)
    short = {**SHORT, "programme": {**SHORT["programme"], **(programme or {})}, **values}
    return make_setup(app, accounts, modules=MODULES, **short)


def attend(app, setup, statuses: list[str], trainee=0) -> None:
    """The trainee's attendance on the first days of the course, one status a day."""
    for day, status in zip(DAYS, statuses, strict=False):
        take(app, setup, day, {setup.trainees[trainee]: status})


def passes(client, setup, enrolment=0, day="2021-01-14") -> None:
    """The mandatory modules passed (T1 with 80, then P1)."""
    enrolment_id = setup.enrolled[enrolment]
    for code, body in (("T1", {"score": 80}), ("P1", {"passed": True})):
        response = attempt(client, setup.headers, enrolment_id, code, assessed_on=day, **body)
        assert response.status_code == 201, response.text


def progress_of(client, headers, enrolment_id) -> dict:
    response = client.get(f"/api/v1/enrolments/{enrolment_id}/progress", headers=headers)
    assert response.status_code == 200, response.text
    return response.json


def missing(body) -> list[tuple[str, str]]:
    return [(item["code"], item["message"]) for item in body["missing"]]


def test_fully_eligible_trainee(app, client, accounts, monkeypatch):
    setup = setup_of(app, accounts, monkeypatch, date(2021, 1, 18))  # the Monday after
    attend(app, setup, ["present", "present", "late", "present", "present"])
    passes(client, setup)
    body = progress_of(client, setup.headers, setup.enrolled[0])
    assert body == {
        "enrolment_id": setup.enrolled[0],
        "modules_total": 3,
        "modules_passed": 2,
        "hours_total": 24,
        "hours_passed": 16,
        "attendance_rate": 100.0,
        "attendance_threshold": 90,
        "training_days_recorded": 5,
        "training_days_total": 5,
        "eligible": True,
        "missing": [],  # F1 is optional: not passing it blocks nothing
    }


def test_what_is_missing_in_words(app, client, accounts, monkeypatch):
    setup = setup_of(app, accounts, monkeypatch, DAYS[-1])  # the last day: not ended yet
    attend(app, setup, ["present", "late", "absent"])
    assert attempt(client, setup.headers, setup.enrolled[0], "T1", score=60).status_code == 201
    body = progress_of(client, setup.headers, setup.enrolled[0])
    assert (body["modules_passed"], body["hours_passed"]) == (0, 0)
    assert (body["attendance_rate"], body["training_days_recorded"]) == (66.7, 3)
    assert body["eligible"] is False
    assert missing(body) == [
        ("course_not_ended", "The course ends on Jan 15, 2021."),
        ("module_not_passed", "Module T1 (Module T1) is not passed."),
        ("module_not_passed", "Module P1 (Module P1) is not passed."),
        ("days_not_recorded", "2 of the 5 training days so far have no attendance record."),
        ("attendance_below_threshold", "Attendance is 66.7%, below the 90% required."),
    ]


def test_a_running_course_counts_only_the_days_so_far_as_unrecorded(
    app, client, accounts, monkeypatch
):
    """The days to come cannot have a record yet: 21 of 39 said of a course in its third
    week read as 21 forgotten sheets."""
    setup = setup_of(app, accounts, monkeypatch, DAYS[2])  # the third of five days
    attend(app, setup, ["present", "present"])
    body = progress_of(client, setup.headers, setup.enrolled[0])
    assert ("days_not_recorded", "1 of the 3 training days so far have no attendance record.") in (
        missing(body)
    )
    attend(app, setup, ["present", "present", "present"])
    body = progress_of(client, setup.headers, setup.enrolled[0])
    assert "days_not_recorded" not in [code for code, _message in missing(body)]
    assert ("course_not_ended", "The course ends on Jan 15, 2021.") in missing(body)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (80, []),  # 4 of 5 is 80.0 %: at the threshold is enough
        (81, [("attendance_below_threshold", "Attendance is 80.0%, below the 81% required.")]),
    ],
)
def test_attendance_at_the_threshold_is_enough(
    app, client, accounts, monkeypatch, threshold, expected
):
    setup = setup_of(
        app, accounts, monkeypatch, date(2021, 1, 18), {"attendance_threshold": threshold}
    )
    attend(app, setup, ["present", "absent", "present", "present", "present"])
    passes(client, setup)
    body = progress_of(client, setup.headers, setup.enrolled[0])
    assert (body["attendance_rate"], body["attendance_threshold"]) == (80.0, threshold)
    assert missing(body) == expected
    assert body["eligible"] is (not expected)


def test_nothing_recorded_yet(app, client, accounts, monkeypatch):
    setup = setup_of(app, accounts, monkeypatch, date(2021, 1, 18))
    passes(client, setup)
    body = progress_of(client, setup.headers, setup.enrolled[0])
    assert (body["attendance_rate"], body["training_days_recorded"]) == (None, 0)
    assert missing(body) == [
        ("days_not_recorded", "5 of 5 training days have no attendance record.")
    ]


def test_every_day_excused_is_no_attendance(app, client, accounts, monkeypatch):
    setup = setup_of(app, accounts, monkeypatch, date(2021, 1, 18))
    attend(app, setup, ["excused"] * 5)
    passes(client, setup)
    body = progress_of(client, setup.headers, setup.enrolled[0])
    assert (body["attendance_rate"], body["training_days_recorded"]) == (None, 5)
    assert missing(body) == [
        ("attendance_below_threshold", "Every recorded day is excused: no attendance counts yet.")
    ]


def test_withdrawn_trainee_is_not_eligible(app, client, accounts, monkeypatch):
    setup = setup_of(app, accounts, monkeypatch, DAYS[2])
    attend(app, setup, ["present", "present", "present"])
    passes(client, setup, day="2021-01-12")
    admin = accounts.bearer(Role.ADMIN)
    url = f"/api/v1/enrolments/{setup.enrolled[0]}/withdraw"
    assert client.post(url, headers=admin, json={"reason": "Injured"}).status_code == 200
    freeze(monkeypatch, date(2021, 1, 18))
    admin = accounts.bearer(Role.ADMIN)  # the token taken days before has expired
    body = progress_of(client, admin, setup.enrolled[0])
    assert body["eligible"] is False
    assert missing(body)[0] == ("withdrawn", "Withdrawn from the course on Jan 13, 2021.")
    assert [code for code, _message in missing(body)] == ["withdrawn", "days_not_recorded"]


def test_trainee_sees_own_progress_only(app, client, accounts, monkeypatch):
    setup = setup_of(app, accounts, monkeypatch, DAYS[2])
    own, other = setup.enrolled
    trainee = bearer(accounts, accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0]))
    assert progress_of(client, trainee, own)["enrolment_id"] == own
    url = f"/api/v1/enrolments/{other}/progress"
    error_of(client.get(url, headers=trainee), 403, "forbidden")
    error_of(client.get(url, headers=accounts.bearer(Role.INSTRUCTOR)), 403, "forbidden")
    error_of(client.get(url), 401, "unauthorized")
    error_of(
        client.get("/api/v1/enrolments/999999/progress", headers=setup.headers), 404, "not_found"
    )


# --- at risk: the certificate can no longer be earned ------------------------------


def at_risk(app, enrolment_id) -> list[str]:
    with app.app_context():
        return enrolment_progress(db.session.get(Enrolment, enrolment_id)).at_risk()


def test_at_risk_when_the_threshold_is_out_of_reach(app, client, accounts, monkeypatch):
    setup = setup_of(app, accounts, monkeypatch, DAYS[0])
    take(app, setup, DAYS[0], dict.fromkeys(setup.trainees, "present"))
    assert at_risk(app, setup.enrolled[0]) == []
    take(app, setup, DAYS[0], {setup.trainees[0]: "absent"})
    # Present on the four days left, Əliyev reaches 4 of 5: 80 %, below 90 %.
    assert at_risk(app, setup.enrolled[0]) == ["Cannot reach 90% attendance: at best 80.0%."]
    assert at_risk(app, setup.enrolled[1]) == []


def test_one_absence_in_a_long_course_is_no_risk(app, client, accounts, monkeypatch):
    freeze(monkeypatch, date(2021, 1, 11))
    setup = make_setup(app, accounts)  # 45 days, 38 training days
    take(app, setup, date(2021, 1, 11), {setup.trainees[0]: "absent"})
    assert at_risk(app, setup.enrolled[0]) == []  # at best 37 of 38: 97.4 %


def test_at_risk_when_a_mandatory_module_has_no_attempt_left(app, client, accounts, monkeypatch):
    setup = setup_of(app, accounts, monkeypatch, DAYS[3])
    first, second = setup.enrolled
    for enrolment in (first, second):
        assert attempt(client, setup.headers, enrolment, "T1", score=50).status_code == 201
        assert attempt(client, setup.headers, enrolment, "F1", passed=False).status_code == 201
    assert at_risk(app, first) == []  # one attempt left at T1
    for code, body in (("T1", {"score": 60}), ("F1", {"passed": False})):
        assert attempt(client, setup.headers, first, code, **body).status_code == 201
    # F1 is optional: failing it twice is no risk; T1 is mandatory.
    assert at_risk(app, first) == ["Failed T1 with no attempt left."]
    assert at_risk(app, second) == []


def test_a_rate_just_below_the_threshold_is_below_it(app, client, accounts, monkeypatch):
    programme = {"duration_days": 21, "rest_weekdays": [], "attendance_threshold": 81}
    setup = setup_of(app, accounts, monkeypatch, DAYS[0], programme)
    for number in range(21):  # 2021-01-11 to 2021-01-31, every day a training day
        day = DAYS[0] + timedelta(days=number)
        freeze(monkeypatch, day)
        take(app, setup, day, {setup.trainees[0]: "absent" if number < 4 else "present"})
    freeze(monkeypatch, date(2021, 2, 1))
    setup.headers = bearer(accounts, setup.instructor)  # the first token has expired
    passes(client, setup)
    body = progress_of(client, setup.headers, setup.enrolled[0])
    assert (body["training_days_recorded"], body["training_days_total"]) == (21, 21)
    assert body["eligible"] is False
    assert [code for code, _message in missing(body)] == ["attendance_below_threshold"]
