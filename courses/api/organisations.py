"""API: the organisations (ministries and agencies)."""

from flask.views import MethodView
from sqlalchemy import select

from auth.permissions import roles
from core.api import Blueprint, PageArgsSchema
from core.pagination import page_of
from courses import schemas
from courses.organisations import create_organisation, update_organisation
from extensions import db
from models import Organisation
from models.account import Role

organisations = Blueprint(
    "Organisations",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Ministries and agencies that send trainees and instructors.",
)


@organisations.route("")
class Organisations(MethodView):
    @roles(Role.ADMIN)
    @organisations.arguments(PageArgsSchema, location="query")
    @organisations.response(200, schemas.OrganisationPageSchema)
    @organisations.errors(401, 403)
    def get(self, args):
        """List organisations."""
        return page_of(select(Organisation).order_by(Organisation.code), **args)

    @roles(Role.ADMIN)
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
    @roles(Role.ADMIN)
    @organisations.response(200, schemas.OrganisationSchema)
    @organisations.errors(401, 403, 404)
    def get(self, organisation_id):
        """One organisation."""
        return db.get_or_404(Organisation, organisation_id)

    @roles(Role.ADMIN)
    @organisations.arguments(schemas.OrganisationChangeSchema)
    @organisations.response(200, schemas.OrganisationSchema)
    @organisations.errors(400, 401, 403, 404, 409, 422)
    def patch(self, changes, organisation_id):
        """Change an organisation; `version` must be the one last read."""
        organisation = db.get_or_404(Organisation, organisation_id)
        update_organisation(organisation, changes.pop("version"), changes)
        db.session.commit()
        return organisation
