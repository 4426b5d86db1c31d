"""A course's roster: who is on it, per organisation against quota; enrol and withdraw."""

from collections import Counter

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.permissions import roles
from auth.policy import may_enrol, require_view
from core.confirmation import NOT_CONFIRMED, confirmed
from core.exports import csv_response, xlsx_response
from core.saving import save
from extensions import db
from models import Course, CourseQuota, Enrolment, EnrolmentStatus
from models.account import Role
from models.trainee import Trainee
from trainees import bp
from trainees.enrolment import SEATED, STATUS_NAMES, enrol, withdraw
from trainees.forms import EnrolForm, WithdrawForm
from trainees.registry import search

EXPORT_HEADER = (
    _l("Organisation"),
    _l("Personal number"),
    _l("Rank"),
    _l("Full name"),
    _l("Full name (Latin)"),
    _l("Status"),
    _l("Withdrawn on"),
    _l("Reason"),
)


def _roster(course: Course) -> list[Enrolment]:
    """Every enrolment with its trainee and organisation: three queries, whatever the size."""
    return db.session.scalars(
        select(Enrolment)
        .where(Enrolment.course_id == course.id)
        .options(selectinload(Enrolment.trainee).selectinload(Trainee.organisation))
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .order_by(Trainee.organisation_id, Trainee.sort_name, Trainee.id)
    ).all()


def _load(course_id: int) -> Course:
    course = db.get_or_404(
        Course,
        course_id,
        options=(selectinload(Course.quotas).selectinload(CourseQuota.organisation),),
    )
    require_view(current_user, course)
    return course


@bp.route("/courses/<id:course_id>/roster")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def roster(course_id: int):
    """The roster tab: counts per organisation against quotas, and each trainee."""
    course = _load(course_id)
    enrolments = _roster(course)
    seated = Counter(e.trainee.organisation.code for e in enrolments if e.status in SEATED)
    quotas = {quota.organisation.code: quota.max_trainees for quota in course.quotas}
    text = request.args.get("q", "")[:200]
    candidates = []
    if text and may_enrol(current_user, course):
        off_course = search(text).where(
            Trainee.id.not_in(select(Enrolment.trainee_id).where(Enrolment.course_id == course.id))
        )
        candidates = db.session.scalars(
            off_course.options(selectinload(Trainee.organisation)).limit(20)
        ).all()
    return render_template(
        "trainees/roster.html",
        course=course,
        tab="roster",
        enrolments=enrolments,
        seated=seated,
        quotas=quotas,
        organisations=sorted(set(seated) | set(quotas)),
        total=sum(seated.values()),
        q=text,
        candidates=candidates,
        status_names=STATUS_NAMES,
        enrol_form=EnrolForm(),
        withdraw_form=WithdrawForm(),
    )


@bp.route("/courses/<id:course_id>/roster/enrol", methods=["POST"])
@roles(Role.ADMIN)
def roster_enrol(course_id: int):
    """Enrol one trainee from the search results."""
    course = _load(course_id)
    form = EnrolForm()
    if not form.validate_on_submit():
        flash(
            _("The form expired or came from elsewhere. Reload the page and try again."), "danger"
        )
    else:
        save(
            lambda: enrol(course, form.trainee_id.data),
            lambda enrolment: _("%(name)s is enrolled.", name=enrolment.trainee.full_name),
        )
    return redirect(url_for("trainees.roster", course_id=course_id))


@bp.route("/enrolments/<id:enrolment_id>/withdraw", methods=["POST"])
@roles(Role.ADMIN)
def roster_withdraw(enrolment_id: int):
    """Withdraw a trainee from a course, with the reason."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        errors = [str(e) for field in (form.reason, form.date) for e in field.errors]
        if form.reason.errors:
            errors = [_("Give the reason for the withdrawal.")]
        flash(
            " ".join(errors)
            or _("The form expired or came from elsewhere. Reload the page and try again."),
            "danger",
        )
    elif not confirmed():
        flash(str(NOT_CONFIRMED), "danger")
    elif form.version.data != enrolment.version:
        flash(_("Someone else changed this enrolment; reload and try again."), "danger")
    else:
        save(
            lambda: withdraw(enrolment, form.reason.data, form.date.data),
            lambda _saved: _("%(name)s is withdrawn.", name=enrolment.trainee.full_name),
        )
    return redirect(url_for("trainees.roster", course_id=enrolment.course_id))


def _export_rows(course: Course):
    for e in _roster(course):
        yield (
            e.trainee.organisation.code,
            e.trainee.personal_number,
            e.trainee.rank,
            e.trainee.full_name,
            e.trainee.full_name_latin,
            str(STATUS_NAMES[EnrolmentStatus(e.status)]),
            e.withdrawn_on,
            e.withdrawal_reason,
        )


@bp.route("/courses/<id:course_id>/roster.csv")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def roster_csv(course_id: int):
    """The roster as CSV (UTF-8, formula-safe)."""
    course = _load(course_id)
    header = [str(name) for name in EXPORT_HEADER]
    return csv_response(f"{course.code}-roster.csv", header, _export_rows(course))


@bp.route("/courses/<id:course_id>/roster.xlsx")
@roles(Role.ADMIN, Role.INSTRUCTOR)
def roster_xlsx(course_id: int):
    """The roster as an XLSX workbook (cells stored as text, never formulas)."""
    course = _load(course_id)
    header = [str(name) for name in EXPORT_HEADER]
    return xlsx_response(
        f"{course.code}-roster.xlsx", course.code, header, list(_export_rows(course))
    )
