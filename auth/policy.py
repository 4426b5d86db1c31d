"""Who may see which course: the checks views make after loading a course."""

from flask import abort
from sqlalchemy import Select, select

from extensions import db
from models import Course, Enrolment, course_instructors
from models.account import Role, User


def teaches(user: User, course: Course) -> bool:
    return user.role == Role.INSTRUCTOR and any(i.id == user.id for i in course.instructors)


def attends(user: User, course: Course) -> bool:
    """A trainee's account whose trainee is (or was) on this course."""
    if user.role != Role.TRAINEE or user.trainee_id is None:
        return False
    return (
        db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.course_id == course.id, Enrolment.trainee_id == user.trainee_id
            )
        )
        is not None
    )


def may_view_course(user: User, course: Course) -> bool:
    """Administrators see every course; instructors the courses they teach."""
    return user.role == Role.ADMIN or teaches(user, course)


def may_view_plan(user: User, course: Course) -> bool:
    """The plan is also for the course's own trainees."""
    return may_view_course(user, course) or attends(user, course)


def require_view(user: User, course: Course) -> None:
    if not may_view_course(user, course):
        abort(403)


def require_plan_view(user: User, course: Course) -> None:
    if not may_view_plan(user, course):
        abort(403)


def may_view_enrolment(user: User, enrolment: Enrolment) -> bool:
    """A trainee's records: administrators, the course's instructors, the trainee."""
    if user.role == Role.TRAINEE:
        return user.trainee_id is not None and user.trainee_id == enrolment.trainee_id
    return may_view_course(user, enrolment.course)


def require_enrolment_view(user: User, enrolment: Enrolment) -> None:
    if not may_view_enrolment(user, enrolment):
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
    if user.trainee_id is not None:
        return statement.join(Enrolment, Enrolment.course_id == Course.id).where(
            Enrolment.trainee_id == user.trainee_id
        )
    return statement.where(Course.id.is_(None))
