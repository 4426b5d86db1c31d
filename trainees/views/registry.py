"""Registry pages (administrators): find, add and change trainees, give them a login."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from auth.accounts import create_user
from auth.permissions import roles
from core.saving import create_or_update, next_to_fields, save
from core.translated import localised
from core.urls import bounded, page_number
from extensions import db
from models import Certificate, Course, Enrolment, Organisation
from models.account import Role, User
from models.trainee import Trainee
from trainees import bp
from trainees.enrolment import STATUS_NAMES
from trainees.forms import TraineeAccountForm, TraineeForm
from trainees.registry import FIELDS, create_trainee, search, update_trainee

PER_PAGE = 50


def _organisations() -> list[Organisation]:
    return db.session.scalars(select(Organisation).order_by(Organisation.code)).all()


@bp.route("/trainees")
@roles(Role.ADMIN)
def trainee_list():
    """Search the registry by either name, personal number and organisation."""
    text = request.args.get("q", "")[:200]
    organisation_id = bounded(request.args.get("organisation_id"))
    page = db.paginate(
        search(text, organisation_id).options(selectinload(Trainee.organisation)),
        page=page_number(),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "trainees/trainee_list.html",
        page=page,
        q=text,
        organisation_id=organisation_id,
        organisations=_organisations(),
    )


@bp.route("/trainees/new", methods=["GET", "POST"])
@bp.route("/trainees/<id:trainee_id>/edit", methods=["GET", "POST"])
@roles(Role.ADMIN)
def trainee_form(trainee_id: int | None = None):
    """Add a trainee, or change one."""
    trainee = db.get_or_404(Trainee, trainee_id) if trainee_id else None
    form = TraineeForm(obj=trainee)
    form.organisation_id.choices = [
        SelectChoice(o.id, f"{o.code} · {localised(o, 'name')}") for o in _organisations()
    ]
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in FIELDS}
        saved = save(
            create_or_update(trainee, create_trainee, update_trainee, form.version.data, values),
            lambda saved: _("%(name)s saved.", name=saved.full_name),
            next_to_fields(form),
        )
        if saved:
            return redirect(url_for("trainees.trainee_page", trainee_id=saved.value.id))
    status = 422 if request.method == "POST" else 200
    return render_template("trainees/trainee_form.html", form=form, trainee=trainee), status


@bp.route("/trainees/<id:trainee_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def trainee_page(trainee_id: int):
    """A trainee's record, courses and login; the form here creates the login."""
    trainee = db.get_or_404(Trainee, trainee_id)
    account = db.session.scalar(select(User).where(User.trainee_id == trainee.id))
    form = TraineeAccountForm(email=trainee.email)
    status = 200
    if account is not None and request.method == "POST":
        # A page opened before the login was made: say so, keep nothing typed.
        flash(_("This trainee already has an account."), "danger")
        status = 409
    elif account is None and form.validate_on_submit():
        saved = save(
            lambda: create_user(
                email=form.email.data,
                password=form.password.data,
                role=Role.TRAINEE,
                full_name=trainee.full_name,
                trainee_id=trainee.id,
            ),
            lambda account: _(
                "%(name)s can now sign in as %(email)s.",
                name=trainee.full_name,
                email=account.email,
            ),
            next_to_fields(form),
        )
        if saved:
            return redirect(url_for("trainees.trainee_page", trainee_id=trainee.id))
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.trainee_id == trainee.id)
        .options(selectinload(Enrolment.course).selectinload(Course.programme))
        .order_by(Enrolment.enrolled_at.desc())
    ).all()
    if request.method == "POST" and account is None:
        status = 422
    return render_template(
        "trainees/trainee_page.html",
        trainee=trainee,
        account=account,
        form=form,
        enrolments=enrolments,
        status_names=STATUS_NAMES,
        certificates=db.session.scalars(
            select(Certificate)
            .where(Certificate.enrolment_id.in_([e.id for e in enrolments]))
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        ).all(),
    ), status
