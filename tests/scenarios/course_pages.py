"""Shared by several test modules; first written for tests/test_courses_pages.py."""

COURSE_FORM = {
    "code": "AGH-7",
    "title": "Joint demining course",
    "start_date": "2021-01-11",
    "location": "Aghdam",
    "capacity": "24",
    "holidays": "2021-01-20",
}
