"""The trainee's own pages."""

from flask import render_template
from flask_login import current_user

from auth.permissions import roles
from core import clock
from models.account import Role
from trainees import bp
from trainees.dashboard import cards_of


@bp.route("/me")
@roles(Role.TRAINEE)
def dashboard():
    """The trainee's dashboard: progress, attendance, the plan, what is still missing."""
    today = clock.today()
    cards = cards_of(current_user.trainee_id, today)
    return render_template("trainees/dashboard.html", cards=cards, today=today)
