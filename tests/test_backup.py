"""`flask backup`: a consistent copy of SQLite taken while the application writes."""

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, select

from app import create_app
from core.audit import verify_chain
from extensions import db
from models.trainee import Trainee
from tests.conftest import test_config as config_for
from tests.factories import make_trainee

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_backup_during_writes_holds_every_committed_record(app, runner, tmp_path):
    committed: list[int] = []
    stop = threading.Event()

    def writer():
        while not stop.is_set() and len(committed) < 400:
            committed.append(make_trainee(app, full_name=f"Writer {len(committed)}"))

    thread = threading.Thread(target=writer)
    thread.start()
    while len(committed) < 20:  # the writer is well under way
        stop.wait(0.01)
    before_backup = list(committed)
    target = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    stop.set()
    thread.join(timeout=60)
    assert result.exit_code == 0, result.output

    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    restored = create_app(config_for(f"sqlite:///{target}"))
    with restored.app_context():
        ids = set(db.session.scalars(select(Trainee.id)))
        assert set(before_backup) <= ids  # every record committed before the copy began
        assert ids <= set(committed)  # and nothing that was never committed
        checked, broken, reason = verify_chain()
        assert reason == ""
        assert checked > 0
        db.engine.dispose()


def test_backup_refuses_postgresql_with_the_way_to_do_it(app, runner, tmp_path):
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://nobody@/nowhere"
    result = runner.invoke(args=["backup", str(tmp_path / "never.sqlite3")])
    assert result.exit_code != 0
    assert "pg_dump" in result.output


def test_backup_file_opens_as_a_database(app, runner, tmp_path):
    make_trainee(app, full_name="Алексей Смирнов")
    target = tmp_path / "one.sqlite3"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    engine = create_engine(f"sqlite:///{target}")
    with engine.connect() as connection:
        names = [row[0] for row in connection.exec_driver_sql("SELECT full_name FROM trainees")]
    engine.dispose()
    assert names == ["Алексей Смирнов"]
