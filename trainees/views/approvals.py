"""Pages: the certificates waiting for my approval; approve one, a whole course, or refuse."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from auth.permissions import roles
from auth.policy import may_approve_certificates
from core.confirmation import NOT_CONFIRMED, confirmed
from core.forms import BaseForm
from core.saving import save
from extensions import db
from models import Course, Role
from trainees import bp
from trainees.certificates.access import certificate_or_404
from trainees.certificates.approval_presenters import organisation_names
from trainees.certificates.approvals import (
    approve,
    approve_course,
    refuse,
    waiting_for,
)

APPROVERS = (Role.ADMIN, Role.INSTRUCTOR)  # and, per certificate, may_approve_certificate

# trainees/_approvals.html names the issuers in the reader's language (here and on the tab).
bp.app_template_global("organisation_names")(organisation_names)


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token is needed."""


def _back():
    return redirect(url_for("trainees.approvals"))


def _act(action, success: str):
    """Run a service inside the form's CSRF check; its refusal becomes the page's message."""
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; try again."), "danger")
        return _back()
    save(action, success)
    return _back()


@bp.route("/approvals")
@roles(*APPROVERS)
def approvals():
    """Every certificate waiting for my approval, by course, with a bulk approve per course."""
    return render_template(
        "trainees/approvals.html",
        approver=may_approve_certificates(current_user),
        waiting=waiting_for(current_user),
        form=ActionForm(),
    )


@bp.route("/approvals/courses/<id:course_id>", methods=["POST"])
@roles(*APPROVERS)
def approve_course_page(course_id: int):
    """Approve every certificate of the course waiting for me, in one transaction."""
    course = db.get_or_404(Course, course_id)
    # Each approval is a signature: a whole course's is given with a tick, not one tap.
    if ActionForm().validate_on_submit() and not confirmed():
        flash(str(NOT_CONFIRMED), "danger")
        return _back()
    return _act(
        lambda: approve_course(course, current_user),
        lambda approved: ngettext(
            "%(num)d certificate approved.", "%(num)d certificates approved.", len(approved)
        ),
    )


@bp.route("/approvals/certificates/<string(maxlength=20):number>", methods=["POST"])
@roles(*APPROVERS)
def approve_page(number: str):
    """Approve one certificate for my organisation."""
    certificate = certificate_or_404(number)
    return _act(
        lambda: approve(certificate, current_user),
        lambda done: _("Certificate %(n)s is approved.", n=done.number),
    )


@bp.route("/approvals/certificates/<string(maxlength=20):number>/refuse", methods=["POST"])
@roles(*APPROVERS)
def refuse_page(number: str):
    """Refuse with a reason: the certificate is revoked."""
    certificate = certificate_or_404(number)
    reason = request.form.get("reason", "")
    return _act(
        lambda: refuse(certificate, current_user, reason),
        lambda done: _("Certificate %(n)s is refused and revoked.", n=done.number),
    )
