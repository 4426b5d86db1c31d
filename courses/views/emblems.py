"""An organisation's emblem (administrators): upload, replace or remove it, and see it."""

from flask import Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField

from auth.permissions import roles
from core.forms import BaseForm
from core.saving import save
from courses import bp
from courses.emblems import set_emblem
from courses.forms import OrganisationForm
from extensions import db
from models import Organisation, Role


class EmblemForm(BaseForm):
    emblem = FileField(_l("Emblem (PNG or SVG, at most 256 KB)"))
    remove = BooleanField(_l("Remove the emblem"))


@bp.route("/organisations/<id:organisation_id>/emblem", methods=["POST"])
@roles(Role.ADMIN)
def organisation_emblem(organisation_id: int):
    """Upload (or remove) the emblem printed at the top of the organisation's certificates."""
    organisation = db.get_or_404(Organisation, organisation_id)
    form = EmblemForm()
    if form.validate_on_submit():
        upload = form.emblem.data
        data = None if form.remove.data else (upload.read() if upload else b"")
        saved = save(
            lambda: set_emblem(organisation, data),
            _("The emblem of %(code)s is saved.", code=organisation.code),
            lambda error: setattr(form.emblem, "errors", [*form.emblem.errors, str(error.message)]),
        )
        if saved:
            return redirect(url_for("courses.organisation_form", organisation_id=organisation_id))
    page_form = OrganisationForm(obj=organisation, version=organisation.version)
    return render_template(
        "courses/organisation_form.html",
        form=page_form,
        organisation=organisation,
        emblem_form=form,
    ), 422


@bp.route("/organisations/<id:organisation_id>/emblem")
@roles(Role.ADMIN)
def organisation_emblem_image(organisation_id: int):
    """The emblem as stored (checked on upload to be a PNG or a script-free SVG)."""
    organisation = db.get_or_404(Organisation, organisation_id)
    if organisation.emblem is None:
        abort(404)
    response = Response(organisation.emblem, mimetype=organisation.emblem_type)
    # An SVG is a document: opened on its own it may not run anything.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    )
    return response
