"""One course's page reads that course's rows, not every course's: checked in SQLite's own
query plan, since a plan that scans grows with the years without a query more."""

import pytest

from courses.presenters import _one_course, _one_enrolment
from extensions import db

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def plan(statement, value: int) -> str:
    compiled = str(statement.compile(db.engine))  # one "?", the id
    rows = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + compiled, (value,))
    return "\n".join(row[-1] for row in rows)


@pytest.mark.parametrize(
    "statement",
    [
        _one_course,
        _one_enrolment,
        lambda: _one_course(quotas=True),  # the course's overview
        lambda: _one_course(plan=True),  # its plan and calendar
    ],
    ids=["course", "enrolment", "overview", "plan"],
)
def test_a_courses_instructors_are_found_by_its_id_not_scanned(app, statement):
    with app.app_context():
        said = plan(statement(), 1)
    assert "SCAN course_instructors" not in said, said
    assert "MATERIALIZE" not in said, said
