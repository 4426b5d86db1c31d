"""Organisations, programmes, courses, the schedule, attendance and results."""

from flask import Blueprint

bp = Blueprint("courses", __name__)

from courses import views  # noqa: E402,F401  (routes register on import)
