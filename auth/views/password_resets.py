"""Password reset by a one-time link: the administrator makes it, the user follows it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from auth import bp
from auth.password_resets import create_reset_link, reset_for, use_reset_link
from auth.permissions import public, roles
from core.forms import BaseForm
from core.saving import next_to_fields, save
from extensions import db
from models import Role, User


class ResetLinkForm(BaseForm):
    """Only the CSRF token: making a link is a change, so it is a POST."""


class NewPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    repeat = PasswordField(
        _l("The new password again"),
        validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))],
    )


@bp.route("/users/<id:user_id>/reset-link", methods=["POST"])
@roles(Role.ADMIN)
def password_reset_link(user_id: int):
    """Make a one-time link for a new password, and show it once to hand over."""
    user = db.get_or_404(User, user_id)
    if not ResetLinkForm().validate_on_submit():
        flash(
            _("The form expired or came from elsewhere. Reload the page and try again."), "danger"
        )
        return redirect(url_for("auth.edit_user", user_id=user.id))
    token, expires_at = create_reset_link(user, current_user)
    db.session.commit()
    link = url_for("auth.reset_password", token=token, _external=True)
    return render_template("auth/reset_link.html", user=user, link=link, expires_at=expires_at)


@bp.route("/reset/<string(maxlength=200):token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Set a new password with a one-time link (no sign-in needed)."""
    if reset_for(token) is None:
        message = _("This link is not valid any more: ask an administrator for a new one.")
        return render_template("errors/error.html", status=404, message=message), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        saved = save(
            lambda: use_reset_link(token, form.password.data),
            _("Your new password is set. Sign in with it."),
            next_to_fields(form),
        )
        if saved:
            return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form), status
