"""API: organisations, programmes, courses and their plans."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields, validate
from sqlalchemy import select

from auth.permissions import roles
from auth.policy import require_plan_view, require_view, visible_courses
from core.api import Blueprint, PageArgsSchema
from core.pagination import page_of
from courses import schemas
from courses.courses import create_course, update_course
from courses.organisations import create_organisation, update_organisation
from courses.plans import plan_by_day, set_plan
from courses.presenters import (
    course_document,
    course_loading,
    programme_document,
    programme_loading,
)
from courses.programmes import create_programme, update_programme
from extensions import db
from models import Course, CourseStatus, Organisation, Programme
from models.account import Role

organisations = Blueprint(
    "Organisations",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Ministries and agencies that send trainees and instructors.",
)
programmes = Blueprint(
    "Programmes",
    __name__,
    url_prefix="/api/v1/programmes",
    description="Curricula: what a kind of course teaches.",
)
courses = Blueprint(
    "Courses",
    __name__,
    url_prefix="/api/v1/courses",
    description="Scheduled runs of a programme, and their plans.",
)
ADMIN = Role.ADMIN
INSTRUCTOR = Role.INSTRUCTOR
TRAINEE = Role.TRAINEE


def _page(statement, args, present):
    page = page_of(statement, args["page"], args["per_page"])
    return {"items": [present(item) for item in page["items"]], "total": page["total"]}


@organisations.route("")
class Organisations(MethodView):
    @roles(ADMIN)
    @organisations.arguments(PageArgsSchema, location="query")
    @organisations.response(200, schemas.OrganisationPageSchema)
    @organisations.errors(401, 403)
    def get(self, args):
        """List organisations."""
        return page_of(select(Organisation).order_by(Organisation.code), **args)

    @roles(ADMIN)
    @organisations.arguments(schemas.OrganisationSchema)
    @organisations.response(201, schemas.OrganisationSchema)
    @organisations.errors(400, 401, 403, 409, 422)
    def post(self, values):
        """Add an organisation."""
        organisation = create_organisation(values)
        db.session.commit()
        return organisation


@organisations.route("/<id:organisation_id>")
class OrganisationById(MethodView):
    @roles(ADMIN)
    @organisations.response(200, schemas.OrganisationSchema)
    @organisations.errors(401, 403, 404)
    def get(self, organisation_id):
        """One organisation."""
        return db.get_or_404(Organisation, organisation_id)

    @roles(ADMIN)
    @organisations.arguments(schemas.OrganisationChangeSchema)
    @organisations.response(200, schemas.OrganisationSchema)
    @organisations.errors(400, 401, 403, 404, 409, 422)
    def patch(self, changes, organisation_id):
        """Change an organisation; `version` must be the one last read."""
        organisation = db.get_or_404(Organisation, organisation_id)
        update_organisation(organisation, changes.pop("version"), changes)
        db.session.commit()
        return organisation


@programmes.route("")
class Programmes(MethodView):
    @roles(ADMIN, INSTRUCTOR)
    @programmes.arguments(PageArgsSchema, location="query")
    @programmes.response(200, schemas.ProgrammePageSchema)
    @programmes.errors(401, 403)
    def get(self, args):
        """List programmes with their modules."""
        statement = select(Programme).options(*programme_loading()).order_by(Programme.code)
        return _page(statement, args, programme_document)

    @roles(ADMIN)
    @programmes.arguments(schemas.ProgrammeSchema)
    @programmes.response(201, schemas.ProgrammeSchema)
    @programmes.errors(400, 401, 403, 409, 422)
    def post(self, values):
        """Add a programme with its ordered modules."""
        programme = create_programme(values)
        db.session.commit()
        return programme_document(programme)


@programmes.route("/<id:programme_id>")
class ProgrammeById(MethodView):
    @roles(ADMIN, INSTRUCTOR)
    @programmes.response(200, schemas.ProgrammeSchema)
    @programmes.errors(401, 403, 404)
    def get(self, programme_id):
        """One programme with its modules."""
        return programme_document(db.get_or_404(Programme, programme_id))

    @roles(ADMIN)
    @programmes.arguments(schemas.ProgrammeChangeSchema)
    @programmes.response(200, schemas.ProgrammeSchema)
    @programmes.errors(400, 401, 403, 404, 409, 422)
    def patch(self, changes, programme_id):
        """Change a programme; `modules`, when sent, is the whole new list."""
        programme = db.get_or_404(Programme, programme_id)
        update_programme(programme, changes.pop("version"), changes)
        db.session.commit()
        return programme_document(programme)


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
        return _page(statement.order_by(Course.start_date.desc(), Course.id), args, course_document)

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
