"""Finding courses in the list: words in the code, title or location; status; year."""

from datetime import date

from sqlalchemy import Select, or_

from courses.models import Course, CourseStatus

PER_PAGE = 20


def filtered(statement: Select, q: str, status: str | None, year: int | None) -> Select:
    """The list's filters, all in SQL so the page is counted and cut by the database."""
    for word in q.split()[:5]:
        # LIKE's own wildcards in what was typed are meant literally.
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(
            or_(
                Course.code.ilike(pattern, escape="\\"),
                Course.title.ilike(pattern, escape="\\"),
                Course.location.ilike(pattern, escape="\\"),
            )
        )
    if status in set(CourseStatus):
        statement = statement.where(Course.status == status)
    if year is not None and 2000 <= year <= 2200:
        # A course belongs to every year it runs in.
        statement = statement.where(
            Course.start_date <= date(year, 12, 31), Course.end_date >= date(year, 1, 1)
        )
    return statement
