"""The calendar arithmetic of a course (courses/schedule.py): pure functions, no app."""

from datetime import date, timedelta

import pytest
from flask import Flask
from flask_babel import Babel
from hypothesis import given
from hypothesis import strategies as st

from courses.schedule import (
    Block,
    PlanDoesNotFit,
    PlanProblem,
    allocate_plan,
    days_needed,
    end_date,
    generate_plan,
    module_blocks,
    training_days,
)

SUNDAY = 6
MON_11 = date(2021, 1, 11)  # a Monday: the demo course starts here


def jan(day: int) -> date:
    return date(2021, 1, day)


# --- end date and training days ---------------------------------------------------


def test_45_day_course_from_11_january_ends_24_february():
    assert end_date(MON_11, 45) == date(2021, 2, 24)


def test_one_day_course_ends_on_its_start_date():
    assert end_date(MON_11, 1) == MON_11


def test_training_days_leave_out_sundays_and_holidays():
    days = training_days(MON_11, jan(24), [SUNDAY], [jan(20)])
    assert days == [jan(11), jan(12), jan(13), jan(14), jan(15), jan(16)] + [
        jan(18),
        jan(19),
        jan(21),
        jan(22),
        jan(23),
    ]


def test_training_days_run_across_a_month_boundary():
    days = training_days(jan(28), date(2021, 2, 3), [SUNDAY], [date(2021, 2, 1)])
    assert days == [jan(28), jan(29), jan(30), date(2021, 2, 2), date(2021, 2, 3)]


def test_demo_course_has_38_training_days_with_sunday_rest_and_one_holiday():
    days = training_days(MON_11, end_date(MON_11, 45), [SUNDAY], [jan(20)])
    assert len(days) == 38
    assert days[0] == MON_11 and days[-1] == date(2021, 2, 24)
    assert all(day.weekday() != SUNDAY for day in days)


def test_holiday_on_a_rest_day_costs_nothing_extra():
    assert training_days(MON_11, jan(17), [SUNDAY], [jan(17)]) == training_days(
        MON_11, jan(17), [SUNDAY], []
    )


# --- the generated plan -----------------------------------------------------------


def test_generate_plan_fills_8_hours_a_day_in_programme_order():
    days = [jan(11), jan(12), jan(13)]
    blocks = generate_plan([("A", 12), ("B", 10), ("C", 2)], days, 8)
    assert blocks == [
        Block(jan(11), "A", 8),
        Block(jan(12), "A", 4),
        Block(jan(12), "B", 4),  # A ends mid-day: B takes the rest of the day
        Block(jan(13), "B", 6),
        Block(jan(13), "C", 2),
    ]


def test_generate_plan_skips_nothing_but_the_given_days():
    days = training_days(jan(15), jan(19), [SUNDAY], [])  # Fri, Sat, Mon, Tue
    blocks = generate_plan([("A", 24)], days, 8)
    assert [block.day for block in blocks] == [jan(15), jan(16), jan(18)]


def test_plan_that_fills_every_day_exactly_fits():
    days = training_days(MON_11, end_date(MON_11, 45), [SUNDAY], [jan(20)])
    blocks = generate_plan([("A", 300), ("B", 4)], days, 8)
    assert blocks[-1] == Block(date(2021, 2, 24), "B", 4)


def test_plan_does_not_fit_reports_days_needed_and_available():
    days = training_days(MON_11, end_date(MON_11, 45), [SUNDAY], [jan(20)])
    with pytest.raises(PlanDoesNotFit) as raised:
        generate_plan([("A", 320), ("B", 1)], days, 8)  # 321 hours: 41 days
    assert raised.value.days_needed == 41
    assert raised.value.days_available == 38
    assert str(raised.value) == "needs 41 training days, the course has 38"


def test_days_needed_rounds_up():
    assert days_needed([8, 8], 8) == 2
    assert days_needed([8, 1], 8) == 2
    assert days_needed([4, 4, 1], 8) == 2


# --- a plan an administrator edits ------------------------------------------------


def test_allocate_plan_spreads_hours_over_the_chosen_days():
    training = [jan(11), jan(12), jan(13)]
    blocks = allocate_plan(
        [("A", 12), ("B", 8)], {"A": [jan(11), jan(13)], "B": [jan(12)]}, training, 8
    )
    assert blocks == [Block(jan(11), "A", 8), Block(jan(12), "B", 8), Block(jan(13), "A", 4)]


def english():
    """A request of an English reader: a refusal writes its date as the reader's language."""
    app = Flask(__name__)
    Babel(app)
    return app.test_request_context()


def test_allocate_plan_refuses_a_day_that_is_not_a_training_day():
    training = training_days(MON_11, jan(18), [SUNDAY], [])
    with english(), pytest.raises(PlanProblem) as raised:
        allocate_plan([("A", 8)], {"A": [jan(17)]}, training, 8)
    assert str(raised.value) == "Jan 17, 2021 is not a training day of this course."


def test_allocate_plan_refuses_a_module_with_no_day():
    with pytest.raises(PlanProblem) as raised:
        allocate_plan([("A", 8), ("B", 8)], {"A": [jan(11)]}, [jan(11), jan(12)], 8)
    assert str(raised.value.message) == "Module B has no training day."


def test_allocate_plan_refuses_a_module_whose_days_lack_room():
    training = [jan(11), jan(12)]
    with pytest.raises(PlanProblem) as raised:
        # A takes 4 hours of 12 January, leaving B only 4 of its 8 hours.
        allocate_plan([("A", 12), ("B", 8)], {"A": training, "B": [jan(12)]}, training, 8)
    assert str(raised.value.message) == (
        "Module B needs 8 hours; its days leave room for only 4. Give it more training days."
    )


# --- calendar events --------------------------------------------------------------


def test_module_blocks_group_consecutive_training_days():
    training = training_days(MON_11, jan(16), [SUNDAY], [])
    blocks = [
        Block(jan(11), "A", 8),
        Block(jan(12), "A", 8),
        Block(jan(13), "B", 8),
        Block(jan(14), "A", 8),
    ]
    assert module_blocks(blocks, training) == [
        ("A", jan(11), jan(12)),
        ("B", jan(13), jan(13)),
        ("A", jan(14), jan(14)),
    ]


def test_rest_day_or_holiday_inside_a_run_does_not_split_it():
    training = training_days(jan(15), jan(20), [SUNDAY], [jan(18)])  # no 17th, no 18th
    blocks = [Block(day, "A", 8) for day in training]
    assert module_blocks(blocks, training) == [("A", jan(15), jan(20))]


def test_modules_sharing_a_day_each_get_their_run():
    training = [jan(11), jan(12), jan(13)]
    blocks = generate_plan([("A", 12), ("B", 12)], training, 8)
    assert module_blocks(blocks, training) == [
        ("A", jan(11), jan(12)),
        ("B", jan(12), jan(13)),
    ]


# --- properties -------------------------------------------------------------------

module_lists = st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=12).map(
    lambda hours: [(f"M{index}", value) for index, value in enumerate(hours)]
)


def enough_days(modules, hours_per_day, extra):
    count = days_needed([hours for _, hours in modules], hours_per_day) + extra
    return training_days(MON_11, MON_11 + timedelta(days=count * 2), [SUNDAY], [])[:count]


@given(
    modules=module_lists,
    hours_per_day=st.integers(min_value=1, max_value=12),
    extra=st.integers(min_value=0, max_value=3),
)
def test_generated_plan_keeps_hours_day_limit_and_order(modules, hours_per_day, extra):
    days = enough_days(modules, hours_per_day, extra)
    blocks = generate_plan(modules, days, hours_per_day)

    for code, hours in modules:
        assert sum(block.hours for block in blocks if block.module_code == code) == hours
    per_day: dict[date, int] = {}
    for block in blocks:
        assert block.hours > 0 and block.day in days
        per_day[block.day] = per_day.get(block.day, 0) + block.hours
    assert max(per_day.values()) <= hours_per_day
    assert [block.day for block in blocks] == sorted(block.day for block in blocks)
    order = [code for code, _ in modules]
    assert [order.index(b.module_code) for b in blocks] == sorted(
        order.index(b.module_code) for b in blocks
    )


@given(modules=module_lists, hours_per_day=st.integers(min_value=1, max_value=12))
def test_generated_plan_needs_exactly_days_needed(modules, hours_per_day):
    needed = days_needed([hours for _, hours in modules], hours_per_day)
    days = enough_days(modules, hours_per_day, 0)
    assert len({block.day for block in generate_plan(modules, days, hours_per_day)}) == needed
    with pytest.raises(PlanDoesNotFit):
        generate_plan(modules, days[:-1], hours_per_day)


@given(modules=module_lists, hours_per_day=st.integers(min_value=1, max_value=12))
def test_allocating_the_generated_days_gives_back_the_same_plan(modules, hours_per_day):
    days = enough_days(modules, hours_per_day, 2)
    generated = generate_plan(modules, days, hours_per_day)
    chosen: dict[str, list[date]] = {}
    for block in generated:
        chosen.setdefault(block.module_code, []).append(block.day)
    allocated = allocate_plan(modules, chosen, days, hours_per_day)
    assert sorted(allocated, key=lambda b: (b.day, b.module_code)) == sorted(
        generated, key=lambda b: (b.day, b.module_code)
    )
