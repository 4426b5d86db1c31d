"""The benchmark's pages keep their number of SQL queries (at most 8) as records grow tenfold.

`make bench` measures speed; this guard, in the ordinary suite, holds the part of speed
that does not depend on the machine: no page runs a query per course, per trainee or
per record of the years behind it.
"""

from bench.pages import count_queries, pages_of
from bench.run import MAX_QUERIES
from demo import seed_demo
from demo.bench import CourseCopier, seed_hot_course
from extensions import db

PAGES = {
    "attendance_sheet",
    "attendance_save",
    "attendance_grid",
    "results_matrix",
    "trainee_dashboard",
    "progress_api",
    "course_certificates",
    "verify_page",
}


def test_benchmark_pages_keep_their_query_count_when_the_records_grow_tenfold(app):
    with app.app_context():
        seed_demo(echo=False)
        hot = seed_hot_course(trainees=5)
        db.session.commit()
        copier = CourseCopier(hot, trainees=5)
        copier.copy(0)
        db.session.commit()
    pages = pages_of(app)
    assert {page.name for page in pages} == PAGES
    count_queries(app, pages)  # once first: today's sheet is then saved, as it is after
    before = count_queries(app, pages)

    with app.app_context():
        copier = CourseCopier(db.session.merge(hot), trainees=5)
        for number in range(1, 10):
            copier.copy(number)
        db.session.commit()
    after = count_queries(app, pages)

    assert after == before
    # The benchmark's bound, whatever the size: a page asks the database at most 8 times.
    assert {name: count for name, count in after.items() if count > MAX_QUERIES} == {}
    assert all(count > 0 for name, count in before.items() if name != "verify_page")
