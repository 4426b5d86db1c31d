"""The application factory."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings
from core.api import api
from extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

# Endpoints of extensions and infrastructure that anyone may reach.
PUBLIC_ENDPOINTS = (
    "static",
    "bootstrap.static",
    "api-docs.openapi_json",
    "core.health",
    "language.switch_language",
)


def create_app(config: dict | type | None = None) -> Flask:
    """Build the application; `config` (a mapping or a class) overrides the environment."""
    overrides = config if isinstance(config, dict) else _as_dict(config)
    # The keys live in the instance folder; a test (or a second site) may name another.
    instance = overrides.get("INSTANCE_PATH") or Path(__file__).resolve().parent / "instance"
    app = Flask(__name__, instance_path=str(instance))
    app.config.from_object(settings.BaseConfig)
    app.config.update(settings.from_environment(app.instance_path, given=overrides))
    app.config.update(overrides)
    settings.check(app.config)
    _check_retired_credential_keys(app.instance_path)
    app.config.update(settings.derived(app.config))

    if app.config.get("PROXY_COUNT"):
        # Behind a reverse proxy: the client's address (for rate limits, the audit
        # trail) and the scheme come from the proxy's X-Forwarded-* headers.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def _as_dict(config) -> dict:
    if config is None:
        return {}
    return {key: getattr(config, key) for key in dir(config) if key.isupper()}


def register_extensions(app: Flask) -> None:
    import core.audit  # noqa: F401  (installs the session hook that writes the audit trail)
    import core.audit_anchor  # noqa: F401  (the checkpoints' table)
    import core.audit_heads  # noqa: F401  (writes the trail's heads outside the database)
    from auth import policy
    from auth.menu import main_menu
    from auth.sessions import ApiAwareSessionInterface
    from core.database import MIGRATE_OPTIONS, MIGRATIONS, configure_engine
    from core.formats import register as register_formats
    from core.i18n import inject_locale, percent, readable_json, select_locale
    from core.language import language_actions
    from core.page_frame import register as register_page_frame
    from core.translated import localised, shown
    from core.urls import IdConverter, IsoDateConverter

    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["isodate"] = IsoDateConverter
    app.url_map.merge_slashes = False  # "//" is a 404, not a redirect with an HTML body
    app.session_interface = ApiAwareSessionInterface()
    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, directory=MIGRATIONS, **MIGRATE_OPTIONS)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(inject_locale)
    # Records' texts in the reader's language: localised() plain, shown() saying a fallback.
    app.jinja_env.globals.update(localised=localised, shown=shown)
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["readable_json"] = readable_json
    register_formats(app)
    register_page_frame(app)
    # Templates ask the access policy, never a role string.
    app.jinja_env.globals["policy"] = policy
    app.jinja_env.globals["main_menu"] = main_menu
    app.jinja_env.globals["language_actions"] = language_actions
    bootstrap.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    api.register_converter(IdConverter, IdConverter.openapi_schema)
    api.register_converter(IsoDateConverter, IsoDateConverter.openapi_schema)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})


def register_blueprints(app: Flask) -> None:
    import auth
    import courses
    import trainees
    from auth.api.accounts import tokens, users
    from auth.permissions import declare_public_endpoints, enforce_access
    from core.api import no_html_under_api, refuse_undeclared_query
    from core.errors import audit_refusals
    from core.headers import add_security_headers
    from core.language import bp as language_bp
    from core.views import bp as core_bp
    from courses.api.attendance import attendance
    from courses.api.courses import courses as courses_api
    from courses.api.days_off import days_off
    from courses.api.organisations import organisations
    from courses.api.programmes import programmes
    from trainees.api.approvals import approvals
    from trainees.api.certificates import certificates
    from trainees.api.enrolment import enrolments
    from trainees.api.qualifications import qualifications
    from trainees.api.registry import trainees as trainees_api
    from trainees.api.reports import reports
    from trainees.api.results import results

    app.register_blueprint(core_bp)
    app.register_blueprint(language_bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(courses.bp)
    app.register_blueprint(trainees.bp)
    api_blueprints = (
        tokens,
        users,
        organisations,
        programmes,
        courses_api,
        attendance,
        days_off,
        trainees_api,
        enrolments,
        results,
        certificates,
        approvals,
        reports,
        qualifications,
    )
    for blueprint in api_blueprints:
        csrf.exempt(blueprint)  # bearer tokens only: a cookie never authorises the API
        api.register_blueprint(blueprint)
    declare_public_endpoints(app, PUBLIC_ENDPOINTS)
    app.before_request(enforce_access)
    app.before_request(refuse_undeclared_query)  # after the access check: 401/403 first
    app.after_request(no_html_under_api)
    app.after_request(add_security_headers)
    app.after_request(audit_refusals)


def register_error_handlers(app: Flask) -> None:
    from core.errors import register_error_handlers as register

    register(app)


def _check_retired_credential_keys(instance_path: str) -> None:
    """A retired key that cannot be read would fail every JWKS request: stop at start."""
    from trainees.certificates.keys import check_retired_keys

    try:
        check_retired_keys(instance_path)
    except ValueError as error:
        raise settings.SettingError(str(error)) from error


def register_commands(app: Flask) -> None:
    from core.audit_cli import audit_anchor_command, audit_verify_command
    from core.backup import backup_command, restore_command
    from core.database import init_db_command
    from core.keys import rotate_certificate_key_command
    from demo import seed_demo_command
    from demo.bench import seed_bench_command
    from trainees.certificates.cli import issue_certificates_command
    from trainees.certificates.integrity import verify_all_certificates
    from trainees.certificates.keys import rotate_credential_key_command

    app.cli.add_command(init_db_command)
    app.cli.add_command(audit_verify_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(audit_anchor_command)
    app.cli.add_command(rotate_certificate_key_command)
    app.cli.add_command(rotate_credential_key_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_bench_command)
    app.cli.add_command(issue_certificates_command)
    # What `flask restore` checks besides the audit trail: upper packages add theirs.
    app.extensions["restore_checks"] = [verify_all_certificates]
