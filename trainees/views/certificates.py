"""Certificate pages: the course's certificates tab, PDFs, public verification, expiry."""

from datetime import timedelta

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.permissions import public, roles
from auth.policy import may_download_certificate, require
from core import clock
from core.confirmation import NOT_CONFIRMED, confirmed
from core.exports import csv_response
from core.forms import BaseForm
from core.name_order import sort_key
from core.saving import save
from core.translated import reader_language
from core.urls import page_number
from courses.presenters import one_course_or_404
from extensions import db, limiter
from models import Course, Enrolment
from models.account import Role
from models.certificate import Certificate, CertificateStatus
from trainees import bp
from trainees.certificates.access import (
    by_verification_code,
    certificate_or_404,
    log_prints,
    renewed,
)
from trainees.certificates.approval_presenters import organisation_names, reader_texts
from trainees.certificates.issuing import (
    HELD,
    changed_since,
    issue,
    issue_course,
    reissue,
    revoke,
    shown_status,
)
from trainees.certificates.pdf import certificate_pdf, course_pdf
from trainees.certificates.presenters import verification
from trainees.progress import course_progress
from trainees.views.eligibility_rows import eligibility_rows


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token is needed."""


def _pdf(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _course_certificates(course: Course) -> list[Certificate]:
    return db.session.scalars(
        select(Certificate)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(Enrolment.course_id == course.id)
        .options(selectinload(Certificate.approvals))
        .order_by(Certificate.number)
    ).all()


@bp.route("/courses/<id:course_id>/certificates")
@roles(Role.ADMIN)
def certificates_tab(course_id: int):
    """Who is eligible, who is not and why; the certificates issued; issue all at once."""
    course = one_course_or_404(course_id)
    progress = course_progress(course, brief=True)  # shown; issuing reads it again
    issued = _course_certificates(course)
    holders = {c.enrolment_id for c in issued if c.status in HELD}
    revoked = {c.enrolment_id: c for c in issued if c.status == CertificateStatus.REVOKED}
    waiting = [
        p
        for p in sorted(
            progress.values(),
            key=lambda p: (sort_key(p.enrolment.trainee.full_name_latin), p.enrolment.id),
        )
        if p.enrolment.id not in holders
    ]
    # Revoked, a record changed since, and the records earn a certificate again: one by
    # one, each confirmed.
    candidates = [
        revoked[p.enrolment.id].id for p in waiting if p.eligible and p.enrolment.id in revoked
    ]
    changed = changed_since(candidates)
    earned_again = [
        (p, revoked[p.enrolment.id])
        for p in waiting
        if p.enrolment.id in revoked and revoked[p.enrolment.id].id in changed
    ]
    return render_template(
        "trainees/certificates_tab.html",
        course=course,
        tab="certificates",
        earned_again=earned_again,
        waiting_rows=eligibility_rows(waiting, revoked, changed),
        eligible=sum(1 for p in waiting if p.eligible and p.enrolment.id not in revoked),
        revoked=revoked,
        issued=issued,
        shown_status=shown_status,
        form=ActionForm(),
    )


def _issued(outcome: tuple[list, list]) -> str:
    issued, refused = outcome
    return (
        ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", len(issued))
        + " "
        + ngettext(
            "%(num)d trainee is not eligible.", "%(num)d trainees are not eligible.", len(refused)
        )
    )


@bp.route("/courses/<id:course_id>/certificates/issue", methods=["POST"])
@roles(Role.ADMIN)
def issue_all(course_id: int):
    """Issue every eligible trainee's certificate in one action."""
    course = db.get_or_404(Course, course_id)
    if ActionForm().validate_on_submit():
        save(lambda: issue_course(course, current_user), _issued)
    return redirect(url_for("trainees.certificates_tab", course_id=course_id))


@bp.route("/enrolments/<id:enrolment_id>/certificate/new", methods=["POST"])
@roles(Role.ADMIN)
def issue_after_revocation(enrolment_id: int):
    """A new certificate for a trainee whose certificate was revoked, once confirmed."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    if ActionForm().validate_on_submit() and not confirmed():
        flash(str(NOT_CONFIRMED), "danger")
    elif ActionForm().validate_on_submit():
        save(
            lambda: issue(enrolment, current_user)[0],
            lambda certificate: _("Certificate %(n)s is issued.", n=certificate.number),
        )
    return redirect(url_for("trainees.certificates_tab", course_id=enrolment.course_id))


@bp.route("/certificates/<string(maxlength=20):number>/revoke", methods=["POST"])
@roles(Role.ADMIN)
def revoke_page(number: str):
    """Revoke a certificate with the reason typed."""
    certificate = certificate_or_404(number)
    if ActionForm().validate_on_submit() and not confirmed():
        flash(str(NOT_CONFIRMED), "danger")
    elif ActionForm().validate_on_submit():
        save(
            lambda: revoke(certificate, request.form.get("reason", "")),
            _("Certificate %(n)s is revoked.", n=number),
        )
    return redirect(url_for("trainees.certificates_tab", course_id=certificate.enrolment.course_id))


@bp.route("/certificates/<string(maxlength=20):number>/reissue", methods=["POST"])
@roles(Role.ADMIN)
def reissue_page(number: str):
    """Reissue a certificate under a new number."""
    certificate = certificate_or_404(number)
    if ActionForm().validate_on_submit() and not confirmed():
        flash(str(NOT_CONFIRMED), "danger")
    elif ActionForm().validate_on_submit():
        save(
            lambda: reissue(certificate, current_user),
            lambda replacement: _(
                "Certificate %(old)s is replaced by %(new)s.", old=number, new=replacement.number
            ),
        )
    return redirect(url_for("trainees.certificates_tab", course_id=certificate.enrolment.course_id))


@bp.route("/certificates/<string(maxlength=20):number>.pdf")
@roles(Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE)
def certificate_file(number: str):
    """The certificate as a PDF: for administrators, its holder and the approvers of its
    issuing organisations (auth.policy.may_download_certificate); every download logged."""
    certificate = certificate_or_404(number)
    require(may_download_certificate(current_user, certificate))
    log_prints([certificate], "single")
    db.session.commit()
    return _pdf(certificate_pdf(certificate), f"certificate-{number}.pdf")


@bp.route("/courses/<id:course_id>/certificates.pdf")
@roles(Role.ADMIN)
def course_certificates_file(course_id: int):
    """Every valid certificate of the course in one PDF, one page each, ready to print."""
    course = db.get_or_404(Course, course_id)
    valid = [c for c in _course_certificates(course) if shown_status(c) == CertificateStatus.VALID]
    if not valid:
        abort(404, _("The course has no valid certificate to print."))
    log_prints(valid, "course")
    db.session.commit()
    return _pdf(course_pdf(valid, f"{course.code} certificates"), f"{course.code}-certificates.pdf")


@bp.route("/verify/<string(maxlength=64):code>")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
@public
def verify_page(code: str):
    """Anyone, no sign-in: is this certificate valid? In large words."""
    certificate = by_verification_code(code)
    if certificate is None:
        return render_template("trainees/verify_unknown.html", language_links=True), 404
    result = verification(certificate)
    # The ministries in the reader's language; their English names are the certificate's
    # own, so an English page needs no second query (checkpoints ask often).
    translate = certificate.approvals_required and reader_language() != "en"
    names = organisation_names() if translate else {}
    approved = {approval["organisation"] for approval in result["approvals"]}
    waiting = [
        names.get(name, name) for name in result["approvals_required"] if name not in approved
    ]
    return render_template(
        "trainees/verify.html",
        language_links=True,  # a checkpoint's visit leaves no cookie (see base.html)
        result=result,
        revoked_on=certificate.revoked_on,
        certificate=certificate,
        texts=reader_texts(certificate),
        names=names,
        waiting=waiting,
    )


EXPIRING_PER_PAGE = 50


@bp.route("/certificates/expiring")
@roles(Role.ADMIN)
def expiring():
    """Valid certificates that expire within 90 days or have expired: refresher due."""
    page = db.paginate(
        _expiring_statement(),
        page=page_number(),
        per_page=EXPIRING_PER_PAGE,
        max_per_page=EXPIRING_PER_PAGE,
        error_out=False,
    )
    return render_template("trainees/expiring.html", page=page, today=clock.today())


@bp.route("/certificates/expiring.csv")
@roles(Role.ADMIN)
def expiring_csv():
    """The refresher list as CSV."""
    header = [
        _("Number"),
        _("Holder"),
        _("Holder (Latin)"),
        _("Course"),
        _("Qualification"),
        _("Expires on"),
    ]
    rows = [
        (
            c.number,
            c.holder_name,
            c.holder_name_latin,
            c.course_title,
            c.qualification,
            c.expires_on,
        )
        for c in _expiring()
    ]
    return csv_response("certificates-expiring.csv", header, rows)


def _expiring() -> list[Certificate]:
    return db.session.scalars(_expiring_statement()).all()


def _expiring_statement():
    """Valid certificates expiring within 90 days or expired, soonest first, unless the
    holder has since been certified again (a refresher course).

    Expired ones stay valid certificates (a date does not revoke them), so the list
    grows with the years: the page shows it a page at a time, the CSV whole.
    """
    horizon = clock.today() + timedelta(days=90)
    return (
        select(Certificate)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(
            Certificate.status == CertificateStatus.VALID,
            Certificate.expires_on <= horizon,
            ~renewed(),
        )
        .options(selectinload(Certificate.enrolment))
        .order_by(Certificate.expires_on, Certificate.id)
    )
