"""The attendance rate: (present + late) / (recorded training days - excused days)."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.attendance import STATUSES, save_sheet
from courses.attendance_rate import Tally, attendance_rate, tallies
from extensions import db
from models import Course
from models.account import Role, User
from tests.factories import make_course, make_programme, make_trainee
from trainees.enrolment import enrol

days = st.integers(min_value=0, max_value=60)
statuses = st.lists(st.sampled_from(["present", "late", "absent", "excused"]), max_size=60)


def rate_of(record: list[str]) -> float | None:
    """The rate of one trainee's recorded days, through Tally as the pages use it."""
    return Tally(Counter(record)).rate


@pytest.mark.parametrize(
    ("present", "late", "excused", "recorded", "rate"),
    [
        (9, 0, 0, 10, 90.0),
        (8, 1, 0, 10, 90.0),
        (2, 0, 0, 3, 66.7),
        (1, 0, 0, 3, 33.3),
        (37, 0, 0, 38, 97.4),
        (34, 0, 0, 38, 89.5),
        (34, 0, 1, 38, 91.9),  # one excused day: out of 37, not 38
        (0, 0, 0, 5, 0.0),
        (0, 3, 0, 3, 100.0),
        (4, 0, 6, 10, 100.0),
        (1, 0, 0, 8, 12.5),
    ],
)
def test_examples(present, late, excused, recorded, rate):
    assert attendance_rate(present, late, excused, recorded) == rate


@pytest.mark.parametrize(
    ("present", "late", "excused", "recorded"),
    [(0, 0, 0, 0), (0, 0, 4, 4)],
)
def test_no_rate_when_no_day_counts(present, late, excused, recorded):
    """Nothing recorded, or every recorded day excused: no rate is guessed."""
    assert attendance_rate(present, late, excused, recorded) is None


def test_tally_counts_each_status_once():
    tally = Tally(Counter({"present": 7, "late": 1, "absent": 1, "excused": 2}))
    assert tally.recorded == 11
    assert tally.rate == 88.9  # 8 of 9
    assert Tally().rate is None


@given(statuses)
def test_between_0_and_100_with_one_decimal(record):
    rate = rate_of(record)
    counted = len(record) - record.count("excused")
    if counted == 0:
        assert rate is None
        return
    assert 0 <= rate <= 100
    assert rate == round(rate, 1)
    assert len(repr(rate).split(".")[1]) == 1
    exact = 100 * (record.count("present") + record.count("late")) / counted
    assert abs(rate - exact) <= 0.05 + 1e-9


@given(statuses, st.integers(min_value=1, max_value=10))
def test_excused_days_never_lower_the_rate(record, more):
    before = rate_of(record)
    after = rate_of(record + ["excused"] * more)
    assert after == before


@given(statuses, st.integers(min_value=0, max_value=59))
def test_excusing_an_absence_never_lowers_the_rate(record, index):
    if "absent" not in record:
        return
    position = [i for i, status in enumerate(record) if status == "absent"]
    changed = list(record)
    changed[position[index % len(position)]] = "excused"
    before, after = rate_of(record), rate_of(changed)
    assert after is None or after >= before


@given(statuses)
def test_late_counts_like_present(record):
    all_present = ["present" if status == "late" else status for status in record]
    assert rate_of(record) == rate_of(all_present)


@given(days, days, days, days)
def test_late_and_present_are_interchangeable(present, late, absent, excused):
    recorded = present + late + absent + excused
    assert attendance_rate(present, late, excused, recorded) == attendance_rate(
        present + late, 0, excused, recorded
    )
    assert attendance_rate(present, late, excused, recorded) == attendance_rate(
        0, present + late, excused, recorded
    )


REASON = "Entered from the paper register"  # the days are past the correction window
TRAINING_DAYS = [date(2021, 1, d) for d in (11, 12, 13, 14, 15, 16, 18, 19, 21, 22)]


@pytest.fixture
def course_of_two(app, accounts, monkeypatch):
    """AGH-1 on 2021-01-25 with trainees A and B; the days above are past training days."""
    moment = datetime(2021, 1, 25, 8, tzinfo=UTC)
    monkeypatch.setattr("core.clock.now", lambda: moment)
    course_id = make_course(app, make_programme(app))
    a, b = make_trainee(app), make_trainee(app)
    admin = accounts.make(Role.ADMIN)
    with app.app_context():
        course = db.session.get(Course, course_id)
        enrolments = [enrol(course, a).id, enrol(course, b).id]
        db.session.commit()
    return course_id, [a, b], enrolments, admin["id"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from([None, *STATUSES]), min_size=1, max_size=len(TRAINING_DAYS)))
def test_unrecorded_days_never_count(app, course_of_two, record):
    """A's days (None: not recorded for A, though B's sheet is saved) through the real
    service: A's rate is the rate of A's recorded days, and one more unrecorded day
    changes nothing. Each example is rolled back (save_sheet never commits)."""
    course_id, (a, b), (ea, _eb), admin_id = course_of_two
    with app.app_context():
        try:
            course, user = db.session.get(Course, course_id), db.session.get(User, admin_id)
            for day, status in zip(TRAINING_DAYS, record, strict=False):
                records = [{"trainee_id": b, "status": "present"}]
                if status is not None:
                    records.append({"trainee_id": a, "status": status})
                save_sheet(course, day, records, user, reason=REASON)
            recorded = [status for status in record if status is not None]
            tally = tallies(course).get(ea, Tally())
            assert tally.recorded == len(recorded)
            assert tally.rate == rate_of(recorded)
            if len(record) < len(TRAINING_DAYS):
                only_b = [{"trainee_id": b, "status": "absent"}]
                save_sheet(course, TRAINING_DAYS[len(record)], only_b, user, reason=REASON)
                assert tallies(course).get(ea, Tally()).rate == tally.rate
        finally:
            db.session.rollback()
