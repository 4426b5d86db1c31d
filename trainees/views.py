"""The trainee's own pages."""

from flask import render_template

from auth.models import Role
from auth.permissions import roles
from trainees import bp


@bp.route("/me")
@roles(Role.TRAINEE)
def dashboard():
    """The trainee's dashboard: progress, attendance, what is still missing."""
    return render_template("trainees/dashboard.html")
