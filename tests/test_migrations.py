"""The migrations build exactly the schema the models describe."""

from contextlib import contextmanager

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import create_app
from core.database import MIGRATE_OPTIONS, MIGRATIONS
from core.name_order import sort_key
from extensions import db


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": MIGRATE_OPTIONS["compare_type"]}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app):
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            return
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


@contextmanager
def demo_database_at(tmp_path, revision: str):
    """A database in use (the demo), with rows everywhere, taken back to `revision`: yields
    the Alembic configuration to upgrade it with, in the application's context."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    with app.app_context():
        # Alembic itself, not flask_migrate's commands (which print an error and exit).
        config = current_app.extensions["migrate"].migrate.get_config(MIGRATIONS)
        command.upgrade(config, "head")
        seeded = app.test_cli_runner().invoke(args=["seed-demo"])
        assert seeded.exit_code == 0, seeded.output
        command.downgrade(config, revision)
        yield config


def test_organisations_of_one_name_stop_the_upgrade_that_makes_names_unique(tmp_path):
    """Told, not guessed: which organisation an approval was for is not the migration's
    to choose."""
    with demo_database_at(tmp_path, "0016") as config:
        for code in ("XX-ONE", "XX-DUP"):
            db.session.execute(
                text(
                    "INSERT INTO organisations (code, name, country, language, name_i18n, "
                    "version, created_at) VALUES (:code, 'Civil Defence Agency', 'RU', 'ru', "
                    "'{}', 1, '2021-01-01 00:00:00')"
                ),
                {"code": code},
            )
        db.session.commit()
        with pytest.raises(RuntimeError, match="Organisations share a name: Civil Defence Agency"):
            command.upgrade(config, "head")
        db.session.execute(text("UPDATE organisations SET name = 'Other' WHERE code = 'XX-DUP'"))
        db.session.commit()
        command.upgrade(config, "head")
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == "0018"
        assert db.session.execute(text("SELECT count(*) FROM trainees")).scalar() > 0
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE organisations SET name = 'Other'"))
        db.session.rollback()


def test_the_upgrade_gives_every_trainee_its_place_in_lists(tmp_path):
    with demo_database_at(tmp_path, "0017") as config:
        db.session.execute(
            text("UPDATE trainees SET full_name_latin = 'İsmayılov Orxan' WHERE id = 1")
        )
        db.session.commit()
        command.upgrade(config, "head")
        rows = db.session.execute(text("SELECT full_name_latin, sort_name FROM trainees")).all()
    assert len(rows) > 1 and "İsmayılov Orxan" in [latin for latin, _ in rows]
    assert all(sort_name == sort_key(latin) != "" for latin, sort_name in rows)
