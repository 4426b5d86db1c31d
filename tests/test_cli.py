"""The commands of API.md: init-db, create-user, seed-demo."""

from sqlalchemy import func, inspect, select
from werkzeug.security import check_password_hash

from auth.models import User
from courses.models import Organisation
from extensions import db


def test_init_db_is_repeatable(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    with app.app_context():
        assert {"users", "api_tokens", "organisations", "alembic_version"} <= set(
            inspect(db.engine).get_table_names()
        )


def test_create_user(app, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ops@Example.org",
            "--password",
            "a long password",
            "--role",
            "admin",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "ops@example.org" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ops@example.org"))
        assert user.role == "admin"
        assert check_password_hash(user.password_hash, "a long password")


def test_create_user_refuses_short_password(app, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@example.org",
            "--password",
            "short1234",
            "--role",
            "admin",
        ]
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_duplicate_email(app, runner):
    args = [
        "create-user",
        "--email",
        "a@example.org",
        "--password",
        "long enough pw",
        "--role",
        "instructor",
    ]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=[*args[:2], "A@EXAMPLE.ORG", *args[3:]])
    assert again.exit_code == 1
    assert "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_create_user_refuses_unknown_role(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@example.org",
            "--password",
            "long enough pw",
            "--role",
            "general",
        ]
    )
    assert result.exit_code == 2
    assert "general" in result.output


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.example.org" in first.output
    assert "demo-admin-password" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 3
        roles = set(db.session.scalars(select(User.role)))
        assert roles == {"admin", "instructor", "trainee"}
        codes = set(db.session.scalars(select(Organisation.code)))
        assert codes == {"AZ-MES", "RU-EMERCOM"}


def test_seed_demo_accounts_can_sign_in(client, runner):
    runner.invoke(args=["seed-demo"])
    response = client.post(
        "/api/v1/tokens",
        json={"email": "instructor@demo.example.org", "password": "demo-instructor-password"},
    )
    assert response.status_code == 201
