"""Programme pages (administrators): the curriculum and its ordered modules."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from auth.permissions import roles
from core.saving import create_or_update, next_to_fields, save
from courses import bp
from courses.forms import KIND_NAMES, WEEKDAY_NAMES, ProgrammeForm
from courses.presenters import programme_loading
from courses.programmes import PROGRAMME_FIELDS, create_programme, update_programme
from courses.schedule import days_needed
from extensions import db
from models import Programme
from models.account import Role

BLANK_ROWS = 2  # empty module rows offered below the existing ones (more with JavaScript)


@bp.route("/programmes")
@roles(Role.ADMIN)
def programmes():
    """Every programme, with its modules and the training days they need."""
    rows = db.session.scalars(
        select(Programme).options(*programme_loading()).order_by(Programme.code)
    ).all()
    return render_template(
        "courses/programmes.html",
        programmes=rows,
        days_needed=days_needed,
        kind_names=KIND_NAMES,
        weekday_names=WEEKDAY_NAMES,
    )


def _fill_from(form: ProgrammeForm, programme: Programme) -> None:
    """Show a stored programme in the form, with blank rows to add modules."""
    for name in PROGRAMME_FIELDS:
        getattr(form, name).data = getattr(programme, name)
    form.rest_weekdays.data = [str(day) for day in programme.rest_weekdays]
    form.version.data = programme.version
    while len(form.modules):
        form.modules.pop_entry()
    for module in programme.modules:
        row = form.modules.append_entry().form
        row.position.data = module.position
        row.code.data = module.code
        row.title.data = module.title
        row.title_i18n.data = module.title_i18n or {}
        row.hours.data = module.hours
        row.kind.data = module.kind
        row.pass_mark.data = module.pass_mark
        row.mandatory.data = module.mandatory
        row.prerequisites.data = ", ".join(needed.code for needed in module.prerequisites)


def _add_blank_rows(form: ProgrammeForm) -> None:
    for _index in range(BLANK_ROWS):
        row = form.modules.append_entry().form
        row.mandatory.data = True


@bp.route("/programmes/new", methods=["GET", "POST"])
@bp.route("/programmes/<id:programme_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def programme_form(programme_id: int | None = None):
    """Add or change a programme and its modules in one form."""
    programme = db.get_or_404(Programme, programme_id) if programme_id else None
    form = ProgrammeForm()
    if request.method == "GET":
        if programme is not None:
            _fill_from(form, programme)
        else:
            form.modules.pop_entry()
        _add_blank_rows(form)
    elif form.validate_on_submit():
        rows, modules = form.module_rows()
        values = {name: getattr(form, name).data for name in PROGRAMME_FIELDS}
        values["rest_weekdays"] = sorted(int(day) for day in form.rest_weekdays.data)
        values["modules"] = modules
        saved = save(
            create_or_update(
                programme, create_programme, update_programme, form.version.data, values
            ),
            lambda saved: _("Programme %(code)s saved.", code=saved.code),
            next_to_fields(form, _row_fields(rows)),
        )
        if saved:
            return redirect(url_for("courses.programmes"))
    status = 422 if request.method == "POST" else 200
    return render_template("courses/programme_form.html", form=form, programme=programme), status


def _row_fields(rows) -> dict:
    """Service field names ("modules.2.code") to the form fields they concern."""
    mapping = {}
    for index, row in enumerate(rows):
        for name in ("code", "title", "hours", "kind", "pass_mark", "prerequisites"):
            mapping[f"modules.{index}.{name}"] = getattr(row, name)
    return mapping
