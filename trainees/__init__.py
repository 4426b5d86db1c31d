"""The trainee registry, enrolment, progress and certificates."""

from flask import Blueprint

bp = Blueprint("trainees", __name__)

from trainees import views  # noqa: E402,F401  (routes register on import)
