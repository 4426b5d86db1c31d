"""API: the trainee registry and its bulk import (which may enrol into a course too)."""

from flask import request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields
from sqlalchemy.orm import selectinload

from auth.permissions import roles
from core.api import Blueprint, Id
from core.errors import Invalid
from core.pagination import page_of
from extensions import db
from models.account import Role
from models.trainee import Trainee
from trainees import schemas
from trainees.bulk_enrolment import course_to_enrol_into, import_and_enrol
from trainees.importing import read_rows
from trainees.registry import create_trainee, search, update_trainee

trainees = Blueprint(
    "Trainees",
    __name__,
    url_prefix="/api/v1/trainees",
    description="The trainee registry of both ministries.",
)


class UploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    # A text part, read from the form by the view: documented here so the one multipart
    # body of the operation lists both parts (a second `form` location breaks OpenAPI 3).
    course_id = Id(
        strict=False,
        metadata={"description": "Also enrol every imported trainee here, in the same step."},
    )


class ImportCourseSchema(Schema):
    course_id = Id(strict=False)


def course_from_form(form) -> dict:
    """The optional `course_id` text part, checked like any other field (422 if wrong)."""
    try:
        return ImportCourseSchema().load({k: form[k] for k in ("course_id",) if k in form})
    except ValidationError as error:
        raise Invalid(_l("Some values are not valid."), error.messages) from error


@trainees.route("")
class Trainees(MethodView):
    @roles(Role.ADMIN)
    @trainees.arguments(schemas.TraineeListArgsSchema, location="query")
    @trainees.response(200, schemas.TraineePageSchema)
    @trainees.errors(401, 403)
    def get(self, args):
        """Find trainees by name (either spelling), personal number, organisation."""
        statement = search(args["q"], args.get("organisation_id")).options(
            selectinload(Trainee.organisation)
        )
        return page_of(statement, args["page"], args["per_page"])

    @roles(Role.ADMIN)
    @trainees.arguments(schemas.TraineeSchema)
    @trainees.response(201, schemas.TraineeSchema)
    @trainees.errors(400, 401, 403, 409, 422)
    def post(self, values):
        """Add a trainee; an empty Latin name is transliterated from a Cyrillic one."""
        trainee = create_trainee(values)
        db.session.commit()
        return trainee


@trainees.route("/<id:trainee_id>")
class TraineeById(MethodView):
    @roles(Role.ADMIN)
    @trainees.response(200, schemas.TraineeSchema)
    @trainees.errors(401, 403, 404)
    def get(self, trainee_id):
        """One trainee."""
        return db.get_or_404(Trainee, trainee_id)

    @roles(Role.ADMIN)
    @trainees.arguments(schemas.TraineeChangeSchema)
    @trainees.response(200, schemas.TraineeSchema)
    @trainees.errors(400, 401, 403, 404, 409, 422)
    def patch(self, changes, trainee_id):
        """Change a trainee; `version` must be the one last read."""
        trainee = db.get_or_404(Trainee, trainee_id)
        update_trainee(trainee, changes.pop("version"), changes)
        db.session.commit()
        return trainee


@trainees.route("/import")
class TraineeImport(MethodView):
    @roles(Role.ADMIN)
    @trainees.arguments(UploadSchema, location="files")
    @trainees.response(201, schemas.ImportSchema)
    @trainees.errors(400, 401, 403, 422)
    def post(self, upload):
        """Import a CSV or XLSX file: every row, or none and a report of each bad row.

        With `course_id`, every imported trainee is enrolled there too; an enrolment
        refused by the rules is reported as a row error and nothing is imported.
        """
        form = course_from_form(request.form)
        course = course_to_enrol_into(form["course_id"]) if "course_id" in form else None
        file = upload["file"]
        rows = read_rows(file.filename, file.read())
        created, enrolled = import_and_enrol(rows, course)
        db.session.commit()
        if course is None:
            return {"created": len(created)}
        return {"created": len(created), "enrolled": len(enrolled)}
