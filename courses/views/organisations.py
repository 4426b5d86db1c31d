"""Organisation pages (administrators)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from auth.models import Role
from auth.permissions import roles
from core.errors import RuleBroken
from core.forms import show_rule_broken
from courses import bp
from courses.countries import country_name
from courses.forms import LANGUAGE_NAMES, OrganisationForm
from courses.models import Organisation
from courses.organisations import FIELDS, create_organisation, update_organisation
from courses.views.emblems import EmblemForm
from extensions import db


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
        try:
            if organisation is None:
                organisation = create_organisation(values)
            else:
                update_organisation(organisation, form.version.data, values)
        except RuleBroken as error:
            db.session.rollback()
            show_rule_broken(form, error)
        else:
            db.session.commit()
            flash(_("Organisation %(code)s saved.", code=organisation.code), "success")
            return redirect(url_for("courses.organisations"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "courses/organisation_form.html",
        form=form,
        organisation=organisation,
        emblem_form=EmblemForm(),
    ), status
