"""API: bearer tokens and accounts."""

from flask import request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from auth.accounts import (
    SignInRefused,
    authenticate,
    create_user,
    issue_token,
    revoke_token,
    update_user,
)
from auth.permissions import public, roles, signed_in
from auth.schemas import (
    TokenRequestSchema,
    TokenSchema,
    UserChangeSchema,
    UserPageSchema,
    UserSchema,
)
from core.api import Blueprint, PageArgsSchema
from core.pagination import page_of
from extensions import db
from models.account import Role, User

tokens = Blueprint(
    "Tokens", __name__, url_prefix="/api/v1/tokens", description="Bearer tokens for the API."
)
users = Blueprint("Users", __name__, url_prefix="/api/v1/users", description="User accounts.")


@tokens.route("")
class Tokens(MethodView):
    @public
    @tokens.arguments(TokenRequestSchema)
    @tokens.response(201, TokenSchema)
    @tokens.errors(400, 401, 429)
    def post(self, credentials):
        """Exchange e-mail and password for a bearer token."""
        try:
            user = authenticate(credentials["email"], credentials["password"])
        except SignInRefused as refused:
            db.session.commit()  # the failure counts, and is in the audit trail
            if refused.retry_after:
                abort(
                    429,
                    message=str(refused.message),
                    headers={"Retry-After": str(refused.retry_after)},
                )
            abort(401, message=str(refused.message))
        token, expires_at = issue_token(user)
        db.session.commit()
        return {"token": token, "expires_at": expires_at}

    @signed_in
    @tokens.response(204)
    @tokens.errors(401)
    def delete(self):
        """Revoke the token this request carries."""
        revoke_token(request.headers["Authorization"].partition(" ")[2].strip())
        db.session.commit()


@users.route("")
class Users(MethodView):
    @roles(Role.ADMIN)
    @users.arguments(PageArgsSchema, location="query")
    @users.response(200, UserPageSchema)
    @users.errors(401, 403)
    def get(self, args):
        """List accounts."""
        statement = select(User).order_by(User.id)
        return page_of(statement, args["page"], args["per_page"])

    @roles(Role.ADMIN)
    @users.arguments(UserSchema)
    @users.response(201, UserSchema)
    @users.errors(400, 401, 403, 409, 422)
    def post(self, data):
        """Create an account."""
        user = create_user(**data)
        db.session.commit()
        return user


@users.route("/<id:user_id>")
class UserById(MethodView):
    @roles(Role.ADMIN)
    @users.response(200, UserSchema)
    @users.errors(401, 403, 404)
    def get(self, user_id):
        """One account."""
        return db.get_or_404(User, user_id)

    @roles(Role.ADMIN)
    @users.arguments(UserChangeSchema)
    @users.response(200, UserSchema)
    @users.errors(400, 401, 403, 404, 409, 422)
    def patch(self, data, user_id):
        """Change an account; `version` must be the one last read."""
        user = db.get_or_404(User, user_id)
        version = data.pop("version")
        update_user(user, version, data, actor=current_user)
        db.session.commit()
        return user
