"""`flask backup` / `flask restore`: the database and its keys, brought back on a new machine.

The attack: a disk is lost. A backup that held only the database would come back
with new keys, and every certificate would verify as forged. These tests back up
while the application writes, wipe the instance folder and the database, restore
on a "new machine" (a fresh instance folder with freshly generated keys), and ask
the public verification whether every certificate is still valid.
"""

import base64
import json
import sqlite3
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from app import create_app
from core.audit_heads import heads_file
from core.database import migrate_database
from core.keys import KEY_FILES
from extensions import db
from models.certificate import Certificate
from models.trainee import Trainee
from tests.conftest import test_config as config_for
from tests.factories import make_trainee
from tests.scenarios.certificates_api import make_graduates

PEOPLE = [("AZ-MES", f"Əliyev Rauf {n}", f"Aliyev Rauf {n}") for n in range(3)]


@pytest.fixture
def machine(monkeypatch):
    """make(database_url, instance): the app as a server runs it, keys in its instance folder."""
    for name in KEY_FILES:
        monkeypatch.delenv(name, raising=False)
    made = []

    def make(database_url: str, instance: Path):
        config = config_for(database_url)
        for name in KEY_FILES:
            config.pop(name, None)
        config["INSTANCE_PATH"] = str(instance)
        made.append(create_app(config))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def wipe(app, database_url: str) -> None:
    """The disk is gone: nothing of the database is left."""
    with app.app_context():
        db.session.remove()
        if database_url.startswith("sqlite"):
            db.engine.dispose()
            path = Path(database_url.removeprefix("sqlite:///"))
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
        else:
            with db.engine.begin() as connection:
                for table in inspect(connection).get_table_names():
                    connection.execute(text(f'DROP TABLE "{table}" CASCADE'))
        db.engine.dispose()


def issued_codes(app, client, setup) -> list[str]:
    answer = client.post(f"/api/v1/courses/{setup.course_id}/certificates", headers=setup.headers)
    assert answer.status_code == 200, answer.text
    return [certificate["verification_code"] for certificate in answer.json["issued"]]


def test_restore_on_a_wiped_machine_keeps_every_certificate_valid(
    app, machine, monkeypatch, tmp_path, database_url
):
    if database_url.startswith("sqlite"):  # a file of its own: the suite's stays whole
        database_url = f"sqlite:///{tmp_path / 'old-machine.sqlite3'}"
    old_machine = machine(database_url, tmp_path / "old-instance")
    with old_machine.app_context():
        migrate_database()
    setup = make_graduates(old_machine, accounts_of(old_machine), monkeypatch, people=PEOPLE)
    codes = issued_codes(old_machine, old_machine.test_client(), setup)
    assert len(codes) == 3
    # The credential key was rotated once: the archive must carry the retired public key too.
    rotated = old_machine.test_cli_runner().invoke(args=["rotate-credential-key"])
    assert rotated.exit_code == 0, rotated.output
    published = old_machine.test_client().get("/.well-known/jwks.json").json  # credentials' keys
    assert len(published["keys"]) == 2

    committed: list[int] = []
    stop = threading.Event()

    def writer():
        while not stop.is_set() and len(committed) < 300:
            committed.append(make_trainee(old_machine, full_name=f"Writer {len(committed)}"))

    thread = threading.Thread(target=writer)
    thread.start()
    while len(committed) < 10:
        stop.wait(0.01)
    before_backup = list(committed)
    archive = tmp_path / "training.backup"
    result = old_machine.test_cli_runner().invoke(args=["backup", str(archive)])
    stop.set()
    thread.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert archive.stat().st_mode & 0o077 == 0  # it holds the keys: the owner's only

    # The disk is lost: the instance folder and the database with it.
    for key_file in (tmp_path / "old-instance").iterdir():
        key_file.unlink()
    wipe(old_machine, database_url)
    target = database_url
    if database_url.startswith("sqlite"):
        target = f"sqlite:///{tmp_path / 'new-machine.sqlite3'}"
    new_machine = machine(target, tmp_path / "new-instance")  # generates keys of its own
    result = new_machine.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "The audit trail is intact" in result.output
    assert "Every certificate verifies: 3." in result.output
    assert "3 certificates" in result.output

    # The server started afterwards reads the restored keys from its instance folder.
    server = machine(target, tmp_path / "new-instance")
    client = server.test_client()
    for code in codes:
        answer = client.get(f"/api/v1/verify/{code}")
        assert answer.json["valid"] is True, answer.json
        assert answer.json["status"] == "valid"
    assert client.get("/.well-known/jwks.json").json == published  # credentials verify too
    with server.app_context():
        ids = set(db.session.scalars(select(Trainee.id)))
        assert set(before_backup) <= ids  # every record committed before the copy began
        assert ids <= set(committed) | set(setup.trainees)  # and nothing never committed
    verified = server.test_cli_runner().invoke(args=["audit-verify"])
    assert verified.exit_code == 0, verified.output


def test_credentials_handed_out_after_the_archive_still_verify_after_a_restore(
    app, machine, monkeypatch, tmp_path, database_url
):
    """The key rotated after the backup signed a credential a holder now carries: restored,
    the archive's keys alone were published, and that credential no longer verified."""
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    server = machine(database_url, tmp_path / "instance")
    with server.app_context():
        migrate_database()
    setup = make_graduates(server, accounts_of(server), monkeypatch, people=PEOPLE[:1])
    (code,) = issued_codes(server, server.test_client(), setup)
    holder = server.test_client()
    accounts_of(server).login(setup.admin, client=holder)
    number = holder.get(f"/api/v1/verify/{code}").json["number"]
    assert holder.get(f"/certificates/{number}.jwt").status_code == 200  # makes the key
    archive = tmp_path / "training.backup"
    assert server.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    rotated = server.test_cli_runner().invoke(args=["rotate-credential-key"])
    assert rotated.exit_code == 0, rotated.output
    token = holder.get(f"/certificates/{number}.jwt").text
    kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==="))["kid"]
    with server.app_context():
        db.session.remove()
        db.engine.dispose()

    restored = server.test_cli_runner().invoke(args=["restore", "--force", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "1 credential key(s) this server used after the archive" in restored.output
    published = machine(database_url, tmp_path / "instance").test_client()
    kids = [key["kid"] for key in published.get("/.well-known/jwks.json").json["keys"]]
    assert kid in kids and len(kids) == 2  # the archive's signing key, and the later one


def accounts_of(app):
    from tests.conftest import Accounts

    return Accounts(app, app.test_client())


def test_archive_holds_database_keys_and_a_manifest(app, runner, tmp_path, database_url):
    make_trainee(app, full_name="Алексей Смирнов")
    archive = tmp_path / "one.backup"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
        key = tar.extractfile("keys/certificate_key").read().decode()
    assert {"keys/secret_key", "keys/audit_key", "keys/certificate_retired_keys"} <= names
    assert "keys/credential_key.pem" in names
    assert key == app.config["CERTIFICATE_KEY"]
    assert manifest["counts"]["trainees"] == 1
    with app.app_context():
        head = db.session.execute(text("SELECT last_hash, entries FROM audit_head")).one()
    assert manifest["audit_head"] == {"last_hash": head[0], "entries": head[1]}
    if database_url.startswith("sqlite"):
        assert manifest["database"] == "database.sqlite3"
        with tarfile.open(archive) as tar:
            tar.extract("database.sqlite3", tmp_path, filter="data")
        copy = sqlite3.connect(tmp_path / "database.sqlite3")
        assert copy.execute("SELECT full_name FROM trainees").fetchall() == [("Алексей Смирнов",)]
        copy.close()
    else:  # a pg_dump custom-format archive starts with PGDMP
        assert manifest["database"] == "database.pgdump"
        with tarfile.open(archive) as tar:
            assert tar.extractfile("database.pgdump").read(5) == b"PGDMP"


def test_restore_refuses_a_database_that_holds_records(app, runner, tmp_path):
    make_trainee(app, full_name="Stays Here")
    archive = tmp_path / "one.backup"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    make_trainee(app, full_name="Made After The Backup")
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code != 0
    assert "already holds records" in result.output and "--force" in result.output
    with app.app_context():
        assert db.session.scalar(
            select(Trainee).where(Trainee.full_name == "Made After The Backup")
        )
        db.session.remove()
        db.engine.dispose()
    forced = runner.invoke(args=["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    with app.app_context():
        names = set(db.session.scalars(select(Trainee.full_name)))
        db.session.remove()
    assert names == {"Stays Here"}


def test_restoring_an_older_archive_says_what_it_lacks(
    app, client, runner, accounts, monkeypatch, tmp_path
):
    """A revocation made after the backup came back as a valid certificate, and the restore
    said everything was intact: now it says how much of the trail, and since when, is gone."""
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE[:1])
    (code,) = issued_codes(app, client, setup)
    archive = tmp_path / "before-the-revocation.backup"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    number = client.get(f"/api/v1/verify/{code}").json["number"]
    revoked = client.post(
        f"/api/v1/certificates/{number}/revoke",
        json={"reason": "Forged papers"},
        headers=setup.headers,
    )
    assert revoked.status_code == 200
    with app.app_context():
        written = db.session.scalar(text("SELECT entries FROM audit_head"))
        db.session.remove()
        db.engine.dispose()
    restored = runner.invoke(args=["restore", "--force", str(archive)])
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        holds = db.session.scalar(text("SELECT entries FROM audit_head"))
    assert holds < written
    assert (
        f"This server saw the audit trail reach {written} entries at" in restored.output
        and f"the archive holds {holds}. The {written - holds} entries written after"
        in restored.output
        and "certificates issued, approved or revoked since then are as they were"
        in restored.output
    )
    assert client.get(f"/api/v1/verify/{code}").json["status"] == "valid"  # as it was then
    assert runner.invoke(args=["audit-verify"]).exit_code == 0  # the record set aside
    with app.app_context():
        heads = heads_file()
    assert len(list(heads.parent.glob(heads.name + ".before-restore-*"))) == 1


def test_an_encrypted_archive_needs_its_passphrase(app, runner, tmp_path, monkeypatch):
    make_trainee(app, full_name="Secret Person")
    monkeypatch.setenv("BACKUP_PASSPHRASE", "a long passphrase for the archive")
    archive = tmp_path / "sealed.backup"
    result = runner.invoke(args=["backup", "--passphrase-env", "BACKUP_PASSPHRASE", str(archive)])
    assert result.exit_code == 0, result.output
    data = archive.read_bytes()
    assert app.config["CERTIFICATE_KEY"].encode() not in data
    assert not tarfile.is_tarfile(archive)

    with app.app_context():
        db.session.execute(text("DELETE FROM trainees"))
        db.session.execute(text("DELETE FROM audit_entries"))
        db.session.commit()
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0 and "--passphrase-env" in refused.output
    monkeypatch.setenv("WRONG", "not the passphrase")
    wrong = runner.invoke(args=["restore", "--passphrase-env", "WRONG", str(archive)])
    assert wrong.exit_code != 0 and "passphrase is wrong" in wrong.output
    restored = runner.invoke(
        args=["restore", "--passphrase-env", "BACKUP_PASSPHRASE", str(archive)]
    )
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        assert db.session.scalars(select(Trainee.full_name)).all() == ["Secret Person"]
        db.session.remove()


def test_restore_reports_a_certificate_that_no_longer_verifies(
    app, accounts, monkeypatch, runner, tmp_path
):
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE[:1])
    issued_codes(app, app.test_client(), setup)
    archive = tmp_path / "one.backup"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    # The archive is restored where another certificate key is in force.
    app.config["CERTIFICATE_KEY"] = "another key entirely"
    result = runner.invoke(args=["restore", "--force", str(archive)])
    assert result.exit_code == 0, result.output  # the archive's own keys come back with it
    with app.app_context():
        number = db.session.scalar(select(Certificate.number))
        db.session.execute(text("UPDATE certificates SET hours = hours + 1"))
        db.session.commit()
        db.session.remove()
    archive2 = tmp_path / "edited.backup"
    assert runner.invoke(args=["backup", str(archive2)]).exit_code == 0
    result = runner.invoke(args=["restore", "--force", str(archive2)])
    assert result.exit_code == 1
    assert f"1 of 1 certificates fail their signature: {number}." in result.output


def test_a_restore_in_the_tests_leaves_the_projects_own_keys_alone(app, runner, tmp_path):
    """The project's instance folder holds the keys of `make run`'s demo certificates."""
    project_instance = Path(__file__).resolve().parent.parent / "instance"
    assert Path(app.instance_path).resolve() != project_instance
    before = {p.name: p.read_bytes() for p in project_instance.glob("*")}
    archive = tmp_path / "keys.backup"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    (Path(app.instance_path) / "certificate_key").write_text("another key of this machine\n")
    assert runner.invoke(args=["restore", "--force", str(archive)]).exit_code == 0
    assert {p.name: p.read_bytes() for p in project_instance.glob("*")} == before
