"""Who may see which course: the checks views make after loading a course."""

from flask import abort
from sqlalchemy import Select, select

from auth.models import Role, User
from courses.models import Course, course_instructors


def teaches(user: User, course: Course) -> bool:
    return user.role == Role.INSTRUCTOR and any(i.id == user.id for i in course.instructors)


def may_view_course(user: User, course: Course) -> bool:
    """Administrators see every course; instructors the courses they teach."""
    return user.role == Role.ADMIN or teaches(user, course)


def require_view(user: User, course: Course) -> None:
    if not may_view_course(user, course):
        abort(403)


def visible_courses(user: User) -> Select:
    """The courses this account may list."""
    statement = select(Course)
    if user.role == Role.ADMIN:
        return statement
    if user.role == Role.INSTRUCTOR:
        return statement.join(
            course_instructors, course_instructors.c.course_id == Course.id
        ).where(course_instructors.c.user_id == user.id)
    return statement.where(Course.id.is_(None))
