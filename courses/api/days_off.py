"""API: calling off a training day of a course."""

from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate

from auth.permissions import roles
from auth.policy import may_cancel_day, require
from core.api import Blueprint, Text
from courses import schemas
from courses.days_off import REASON_MAX, cancel_training_day
from courses.presenters import course_document
from extensions import db
from models import Course, Role

days_off = Blueprint(
    "Days off",
    __name__,
    url_prefix="/api/v1/courses",
    description="Unplanned days off: a training day called off, made up or lost.",
)


class CancelDaySchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=REASON_MAX))
    make_up = fields.Boolean(
        load_default=False,
        metadata={"description": "True: the course ends one training day later, the plan moves."},
    )


@days_off.route("/<id:course_id>/days/<isodate:day>/cancel")
class CancelDay(MethodView):
    @roles(Role.ADMIN)
    @days_off.arguments(CancelDaySchema)
    @days_off.response(200, schemas.CourseSchema)
    @days_off.errors(400, 401, 403, 404, 409, 422)
    def post(self, body, course_id, day):
        """Cancel a training day; 409 when it is already cancelled or has attendance."""
        course = db.get_or_404(Course, course_id)
        require(may_cancel_day(current_user, course))
        cancel_training_day(course, day, body["reason"], body["make_up"], current_user)
        db.session.commit()
        return course_document(course)
