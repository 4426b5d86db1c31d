"""A list's links made once (core.urls.link_maker) are the links url_for makes for each row."""

from datetime import date

from flask import url_for

from core.urls import link_maker


def test_each_rows_link_is_the_one_url_for_builds(app):
    days = [date(2026, 12, 2), date(2000, 1, 1), date(2200, 12, 31)]
    with app.test_request_context("/"):
        sheet = link_maker("courses.attendance_sheet", "day", date, course_id=12)
        assert [sheet(day) for day in days] == [
            url_for("courses.attendance_sheet", course_id=12, day=day) for day in days
        ]
        results = link_maker("trainees.trainee_results", "enrolment_id", int)
        assert [results(n) for n in (1, 70, 2**31 - 1)] == [
            url_for("trainees.trainee_results", enrolment_id=n) for n in (1, 70, 2**31 - 1)
        ]


def test_under_a_path_prefix_the_links_keep_it(app):
    with app.test_request_context("/", base_url="http://example.org/training/"):
        results = link_maker("trainees.trainee_results", "enrolment_id", int)
        assert results(7) == url_for("trainees.trainee_results", enrolment_id=7)
        assert results(7).startswith("/training/")


def test_a_stand_in_found_elsewhere_in_the_url_falls_back_to_url_for(app):
    # The course id happens to be the stand-in itself: two places would match it.
    with app.test_request_context("/"):
        sheet = link_maker("courses.attendance_sheet", "day", int, course_id=2**31 - 1)
        day = date(2026, 12, 2)
        assert sheet(day) == url_for("courses.attendance_sheet", course_id=2**31 - 1, day=day)
