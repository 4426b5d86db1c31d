"""Certificate key ids and rotation; the migration that carries an existing database over."""

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app import create_app
from core.audit import verify_chain
from core.database import MIGRATIONS, migrate_database
from core.keys import KEY_FILES, key_id
from extensions import db
from models import Certificate
from tests.conftest import Accounts
from tests.conftest import test_config as config_for
from tests.scenarios.certificates_api import PEOPLE, make_graduates
from trainees.certificates.issuing import SIGNED_WHEN_SET, is_authentic, sign

TWO = [PEOPLE[0], ("AZ-MES", "Əliyev Rauf 2", "Aliyev Rauf 2")]


@pytest.fixture
def server(monkeypatch, tmp_path):
    """start(): the app on its own SQLite file, with keys in its own instance folder."""
    for name in KEY_FILES:
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    started = []

    def start():
        config = config_for(url)
        for name in KEY_FILES:
            config.pop(name, None)
        config["INSTANCE_PATH"] = str(tmp_path / "instance")
        started.append(create_app(config))
        return started[-1]

    yield start
    for app in started:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def issue(app, setup, index) -> str:
    url = f"/api/v1/enrolments/{setup.enrolments[index]}/certificate"
    answer = app.test_client().post(url, headers=setup.headers)
    assert answer.status_code == 201, answer.text
    return answer.json["verification_code"]


def test_a_rotated_key_keeps_old_certificates_valid_and_signs_new_ones(
    server, monkeypatch, tmp_path
):
    first = server()
    with first.app_context():
        migrate_database()
    setup = make_graduates(first, Accounts(first, first.test_client()), monkeypatch, people=TWO)
    old_code = issue(first, setup, 0)
    old_key = (tmp_path / "instance" / "certificate_key").read_text()

    result = first.test_cli_runner().invoke(args=["rotate-certificate-key"])
    assert result.exit_code == 0, result.output
    new_key = (tmp_path / "instance" / "certificate_key").read_text()
    assert new_key != old_key
    assert f"Certificate key {key_id(old_key)} retired" in result.output
    assert (tmp_path / "instance" / "certificate_retired_keys").read_text().split() == [old_key]

    restarted = server()  # every process restarts and reads the new key
    new_code = issue(restarted, setup, 1)
    client = restarted.test_client()
    for code in (old_code, new_code):
        answer = client.get(f"/api/v1/verify/{code}")
        assert answer.json["valid"] is True, answer.json
    with restarted.app_context():
        key_ids = dict(
            db.session.execute(select(Certificate.verification_code, Certificate.key_id)).all()
        )
    assert key_ids == {old_code: key_id(old_key), new_code: key_id(new_key)}

    # A key that is lost (not kept among the retired ones) verifies nothing it signed.
    (tmp_path / "instance" / "certificate_retired_keys").write_text("")
    forgetful = server()
    answer = forgetful.test_client().get(f"/api/v1/verify/{old_code}")
    assert answer.json["valid"] is False
    assert forgetful.test_client().get(f"/api/v1/verify/{new_code}").json["valid"] is True


def test_rotation_refuses_a_key_from_the_environment(server, monkeypatch):
    app = server()
    monkeypatch.setenv("CERTIFICATE_KEY", "from the environment")
    result = app.test_cli_runner().invoke(args=["rotate-certificate-key"])
    assert result.exit_code != 0
    assert "CERTIFICATE_RETIRED_KEYS" in result.output


def test_the_migration_carries_an_existing_trail_and_certificates_over(server, monkeypatch):
    app = server()
    with app.app_context():
        migrate_database()
    setup = make_graduates(app, Accounts(app, app.test_client()), monkeypatch, people=TWO)
    issue(app, setup, 0)
    with app.app_context():
        # A certificate as the code of 0010 issued it: none of the later signed fields.
        old = db.session.scalar(select(Certificate))
        for name in SIGNED_WHEN_SET:
            setattr(old, name, [] if name == "approvals_required" else None)
        sign(old)
        db.session.commit()
        # Back to the database as it was before: plain SHA-256 chain, no key ids.
        downgrade(directory=MIGRATIONS, revision="0010")
        columns = [row[1] for row in db.session.execute(text("PRAGMA table_info(certificates)"))]
        assert "key_id" not in columns
        checked, _broken, reason = verify_chain()
        assert reason  # the keyed check refuses the old plain hashes...
        db.session.remove()
        upgrade(directory=MIGRATIONS)  # ...until the migration has carried them over
        checked, _broken, reason = verify_chain()
        assert reason == "" and checked > 20
        certificate = db.session.scalar(select(Certificate))
        assert certificate.key_id == key_id(app.config["CERTIFICATE_KEY"])
        assert is_authentic(certificate)
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output


def test_the_migration_leaves_a_tampered_old_trail_broken(server, monkeypatch):
    app = server()
    with app.app_context():
        migrate_database()
    make_graduates(app, Accounts(app, app.test_client()), monkeypatch, people=TWO[:1])
    with app.app_context():
        downgrade(directory=MIGRATIONS, revision="0010")
        middle = db.session.scalar(
            text("SELECT id FROM audit_entries ORDER BY id LIMIT 1 OFFSET 5")
        )
        db.session.execute(
            text("UPDATE audit_entries SET address = '10.6.6.6' WHERE id = :id"), {"id": middle}
        )
        db.session.commit()
        db.session.remove()
        upgrade(directory=MIGRATIONS)  # must not launder the edit into a valid keyed chain
        checked, broken, reason = verify_chain()
        assert broken.id == middle and reason  # named, as before the migration
        assert checked == 5


def test_key_files_are_the_owners_only(server, tmp_path):
    server()
    for name in ("certificate_key", "audit_key", "secret_key"):
        assert Path(tmp_path / "instance" / name).stat().st_mode & 0o077 == 0
