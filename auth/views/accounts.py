"""Sign-in, sign-out, each role's home, and account administration pages."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from auth import bp
from auth.accounts import (
    SignInRefused,
    authenticate,
    change_own_account,
    create_user,
    end_session,
    start_session,
    update_user,
)
from auth.forms import ROLE_NAMES, AccountForm, EditUserForm, LoginForm, NewUserForm
from auth.permissions import public, roles, signed_in
from auth.signatories import organisation_choices, signatory_values
from auth.throttling import DEVICE_COOKIE, remember_device
from core.saving import next_to_fields, save
from core.search_text import LIKE_ESCAPE, containing, searchable
from core.urls import page_number, safe_next
from extensions import db
from models.account import Role, User

HOME_BY_ROLE = {
    Role.ADMIN: "courses.admin_home",
    Role.INSTRUCTOR: "courses.instructor_home",
    Role.TRAINEE: "trainees.dashboard",
}


def home_url(user: User) -> str:
    return url_for(HOME_BY_ROLE[Role(user.role)])


@bp.route("/")
@signed_in
def index():
    """Send each role to its own home page."""
    return redirect(home_url(current_user))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            device = request.cookies.get(DEVICE_COOKIE)
            user = authenticate(form.email.data, form.password.data, device)
        except SignInRefused as refused:
            db.session.commit()  # the failure counts, and is in the audit trail
            form.form_errors.append(str(refused.message))
            status = 429 if refused.retry_after else 401
        else:
            # The language this page was shown in: by the switcher, or by its address
            # (/login?lang=ru, also as a link passed on from a page in Russian).
            named = request.args.get("lang")
            offered = current_app.config["LANGUAGES"]
            language = named if named in offered else session.get("language")
            session.clear()  # a fresh session: nothing carried over from before sign-in...
            if language:
                session["language"] = language  # ...but the language chosen on this page
            start_session(user)
            db.session.commit()
            login_user(user)
            response = redirect(safe_next(request.args.get("next")) or home_url(user))
            remember_device(response, user.id, device)
            return response
    elif request.method == "POST":
        status = 400 if form.csrf_token.errors else 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    """Sign out: this browser's session ends, even for a copy of its cookie."""
    end_session(current_user.session_key)
    db.session.commit()
    logout_user()
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language  # the browser's visitor chose it, not the account
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


# Trainees get accounts too: the list grows into the thousands, so it is searched and paged.
USERS_PER_PAGE = 50


@bp.route("/users")
@roles(Role.ADMIN)
def users():
    """The accounts, by role and e-mail: found by name or e-mail and role, a page at a time."""
    text = request.args.get("q", "")[:200]
    role = request.args.get("role", "")
    role = role if role in ROLE_NAMES else ""
    page = db.paginate(
        account_search(text, role),
        page=page_number(),
        per_page=USERS_PER_PAGE,
        max_per_page=USERS_PER_PAGE,
        error_out=False,
    )
    if page.pages and page.page > page.pages:  # past the end (an old link): the last page
        return redirect(url_for("auth.users", q=text or None, role=role or None, page=page.pages))
    return render_template("auth/users.html", page=page, q=text, role=role, role_names=ROLE_NAMES)


def account_search(text: str, role: str):
    """Accounts whose name or e-mail holds every word typed, of one role or all.

    Folded as trainees' names are (core.search_text): İSMAYIL, ismayil and İsmayıl find the
    same account, and Əliyev is found as eliyev or aliyev.
    """
    statement = select(User)
    if role:
        statement = statement.where(User.role == role)
    for word in searchable(text).split()[:5]:
        statement = statement.where(User.search_text.like(containing(word), escape=LIKE_ESCAPE))
    return statement.order_by(User.role, User.email)


@bp.route("/users/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def new_user():
    """Create an account."""
    form = NewUserForm()
    form.organisation_id.choices = organisation_choices()
    if form.validate_on_submit():
        saved = save(
            lambda: create_user(
                email=form.email.data,
                password=form.password.data,
                role=form.role.data,
                full_name=form.full_name.data,
                trainee_id=form.trainee_id.data,
                **signatory_values(form),
            ),
            lambda user: _("Account %(email)s created.", email=user.email),
            next_to_fields(form),
        )
        if saved:
            return redirect(url_for("auth.users"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/user_form.html", form=form, user=None), status


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def edit_user(user_id: int):
    """Change an account: name, role, active, password."""
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user)
    form.organisation_id.choices = organisation_choices()
    if form.validate_on_submit():
        changes = {
            "full_name": form.full_name.data,
            "role": form.role.data,
            "active": form.active.data,
            **signatory_values(form),
        }
        if form.password.data:
            changes["password"] = form.password.data
        saved = save(
            lambda: update_user(user, form.version.data, changes, actor=current_user),
            _("Account %(email)s saved.", email=user.email),
            next_to_fields(form),
        )
        if saved:
            return redirect(url_for("auth.users"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/user_form.html", form=form, user=user), status


def _saved_in_its_language(_result) -> str:
    refresh()  # the language may have just changed: the message says so in the new one
    return _("Your account is saved.")


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    """One's own account: the interface language, and a new password."""
    form = AccountForm(language=current_user.language or "")
    if form.validate_on_submit():
        user = current_user._get_current_object()
        saved = save(
            lambda: change_own_account(
                user, form.language.data, form.current_password.data, form.new_password.data
            ),
            _saved_in_its_language,
            next_to_fields(form),
        )
        if saved:
            if form.new_password.data:
                login_user(user)  # every other browser is signed out; this one stays in
            return redirect(url_for("auth.account"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/account.html", form=form), status
