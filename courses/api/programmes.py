"""API: the programmes (curricula) and their ordered modules."""

from flask.views import MethodView
from sqlalchemy import select

from auth.permissions import roles
from core.api import Blueprint, PageArgsSchema
from core.pagination import page_of
from courses import schemas
from courses.presenters import programme_document, programme_loading
from courses.programmes import create_programme, update_programme
from extensions import db
from models import Programme
from models.account import Role

programmes = Blueprint(
    "Programmes",
    __name__,
    url_prefix="/api/v1/programmes",
    description="Curricula: what a kind of course teaches.",
)


@programmes.route("")
class Programmes(MethodView):
    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @programmes.arguments(PageArgsSchema, location="query")
    @programmes.response(200, schemas.ProgrammePageSchema)
    @programmes.errors(401, 403)
    def get(self, args):
        """List programmes with their modules."""
        statement = select(Programme).options(*programme_loading()).order_by(Programme.code)
        return page_of(statement, **args, present=programme_document)

    @roles(Role.ADMIN)
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
    @roles(Role.ADMIN, Role.INSTRUCTOR)
    @programmes.response(200, schemas.ProgrammeSchema)
    @programmes.errors(401, 403, 404)
    def get(self, programme_id):
        """One programme with its modules."""
        return programme_document(db.get_or_404(Programme, programme_id))

    @roles(Role.ADMIN)
    @programmes.arguments(schemas.ProgrammeChangeSchema)
    @programmes.response(200, schemas.ProgrammeSchema)
    @programmes.errors(400, 401, 403, 404, 409, 422)
    def patch(self, changes, programme_id):
        """Change a programme; `modules`, when sent, is the whole new list."""
        programme = db.get_or_404(Programme, programme_id)
        update_programme(programme, changes.pop("version"), changes)
        db.session.commit()
        return programme_document(programme)
