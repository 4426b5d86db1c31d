"""Accounts, roles, sign-in, API tokens and the permission helpers."""

from flask import Blueprint

bp = Blueprint("auth", __name__, cli_group=None)

from auth import cli, sessions, views  # noqa: E402,F401  (routes register on import)
