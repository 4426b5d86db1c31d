"""Routes that belong to no part of the domain.

They are declared public in app.py (core imports nothing from auth).
"""

from flask import Blueprint, jsonify

from core.database import database_answers

bp = Blueprint("core", __name__)


@bp.route("/health")
def health():
    """For load balancers and monitoring: 200 when the database answers."""
    if database_answers():
        return jsonify({"status": "ok"})
    return jsonify({"status": "database unavailable"}), 503
