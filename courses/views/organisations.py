"""Organisation pages (administrators)."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from auth.permissions import roles
from core.saving import create_or_update, next_to_fields, save
from courses import bp
from courses.countries import country_name
from courses.forms import LANGUAGE_NAMES, OrganisationForm
from courses.organisations import FIELDS, create_organisation, update_organisation
from courses.views.emblems import EmblemForm
from extensions import db
from models import Organisation
from models.account import Role


@bp.route("/organisations")
@roles(Role.ADMIN)
def organisations():
    """Every organisation that sends trainees or instructors."""
    rows = db.session.scalars(select(Organisation).order_by(Organisation.code)).all()
    return render_template(
        "courses/organisations.html",
        organisations=rows,
        country_name=country_name,
        language_names=LANGUAGE_NAMES,
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<id:organisation_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def organisation_form(organisation_id: int | None = None):
    """Add or change an organisation."""
    organisation = db.get_or_404(Organisation, organisation_id) if organisation_id else None
    form = OrganisationForm(obj=organisation, version=organisation.version if organisation else 0)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in FIELDS}
        saved = save(
            create_or_update(
                organisation, create_organisation, update_organisation, form.version.data, values
            ),
            lambda saved: _("Organisation %(code)s saved.", code=saved.code),
            next_to_fields(form),
        )
        if saved:
            return redirect(url_for("courses.organisations"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "courses/organisation_form.html",
        form=form,
        organisation=organisation,
        emblem_form=EmblemForm(),
    ), status
