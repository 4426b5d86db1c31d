"""The commands of API.md: init-db, create-user, seed-demo."""

from sqlalchemy import func, inspect, select
from werkzeug.security import check_password_hash

from core import clock
from extensions import db
from models import Course, Organisation, Programme
from models.account import User


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
        assert db.session.scalar(select(func.count()).select_from(User)) == 6  # 2 approvers
        roles = set(db.session.scalars(select(User.role)))
        assert roles == {"admin", "instructor", "trainee"}
        codes = set(db.session.scalars(select(Organisation.code)))
        assert codes == {"AZ-MES", "RU-EMERCOM"}
        courses = {c.code: c for c in db.session.scalars(select(Course))}
        assert set(courses) == {"AGH-2021-01", "AGH-CURRENT"}
        assert db.session.scalar(select(func.count()).select_from(Programme)) == 1


def test_seed_demo_accounts_can_sign_in(client, runner):
    runner.invoke(args=["seed-demo"])
    response = client.post(
        "/api/v1/tokens",
        json={"email": "instructor@demo.example.org", "password": "demo-instructor-password"},
    )
    assert response.status_code == 201


def test_seed_demo_schedules_the_article_course_and_a_running_one(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        aghdam = db.session.scalar(select(Course).where(Course.code == "AGH-2021-01"))
        assert aghdam.start_date.isoformat() == "2021-01-11"
        assert aghdam.end_date.isoformat() == "2021-02-24"
        assert aghdam.status == "completed"
        assert len(aghdam.programme.modules) == 10
        assert {user.organisation.code for user in aghdam.instructors} == {"AZ-MES", "RU-EMERCOM"}
        running = db.session.scalar(select(Course).where(Course.code == "AGH-CURRENT"))
        assert running.status == "in_progress"
        assert 0 < (clock.today() - running.start_date).days <= 21
        assert len(running.plan) > 0
