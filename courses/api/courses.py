"""API: courses (scheduled runs of a programme) and their module plans."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields, validate

from auth.permissions import roles
from auth.policy import require_plan_view, require_view, visible_courses
from core.api import Blueprint, PageArgsSchema
from core.pagination import page_of
from courses import schemas
from courses.courses import create_course, update_course
from courses.plans import plan_by_day, set_plan
from courses.presenters import course_document, course_loading
from extensions import db
from models import Course, CourseStatus
from models.account import Role

courses = Blueprint(
    "Courses",
    __name__,
    url_prefix="/api/v1/courses",
    description="Scheduled runs of a programme, and their plans.",
)
ADMIN = Role.ADMIN
INSTRUCTOR = Role.INSTRUCTOR
TRAINEE = Role.TRAINEE


class CourseListArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf([status.value for status in CourseStatus]))


@courses.route("")
class Courses(MethodView):
    @roles(ADMIN, INSTRUCTOR)
    @courses.arguments(CourseListArgsSchema, location="query")
    @courses.response(200, schemas.CoursePageSchema)
    @courses.errors(401, 403)
    def get(self, args):
        """List courses: every course for administrators, their own for instructors."""
        statement = visible_courses(current_user).options(*course_loading(quotas=True))
        if "status" in args:
            statement = statement.where(Course.status == args.pop("status"))
        statement = statement.order_by(Course.start_date.desc(), Course.id)
        return page_of(statement, **args, present=course_document)

    @roles(ADMIN)
    @courses.arguments(schemas.CourseSchema)
    @courses.response(201, schemas.CourseSchema)
    @courses.errors(400, 401, 403, 409, 422)
    def post(self, values):
        """Schedule a course; its end date, training days and plan follow."""
        course = create_course(values)
        db.session.commit()
        return course_document(course)


@courses.route("/<id:course_id>")
class CourseById(MethodView):
    @roles(ADMIN, INSTRUCTOR)
    @courses.response(200, schemas.CourseSchema)
    @courses.errors(401, 403, 404)
    def get(self, course_id):
        """One course."""
        course = db.get_or_404(Course, course_id)
        require_view(current_user, course)
        return course_document(course)

    @roles(ADMIN)
    @courses.arguments(schemas.CourseChangeSchema)
    @courses.response(200, schemas.CourseSchema)
    @courses.errors(400, 401, 403, 404, 409, 422)
    def patch(self, changes, course_id):
        """Change a course; `version` must be the one last read."""
        course = db.get_or_404(Course, course_id)
        update_course(course, changes.pop("version"), changes)
        db.session.commit()
        return course_document(course)


@courses.route("/<id:course_id>/plan")
class CoursePlan(MethodView):
    @roles(ADMIN, INSTRUCTOR, TRAINEE)
    @courses.response(200, schemas.PlanDaySchema(many=True))
    @courses.errors(401, 403, 404)
    def get(self, course_id):
        """The module plan: every training day with the modules taught on it."""
        course = db.get_or_404(Course, course_id)
        require_plan_view(current_user, course)
        return plan_by_day(course)

    @roles(ADMIN)
    @courses.arguments(schemas.PlanChangeSchema)
    @courses.response(200, schemas.PlanDaySchema(many=True))
    @courses.errors(400, 401, 403, 404, 409, 422)
    def put(self, body, course_id):
        """Replace the plan: the modules taught on each training day."""
        course = db.get_or_404(Course, course_id)
        wanted: dict = {}
        for day in body["days"]:
            for code in day["modules"]:
                wanted.setdefault(code, []).append(day["date"])
        set_plan(course, body["version"], wanted)
        db.session.commit()
        return plan_by_day(course)
