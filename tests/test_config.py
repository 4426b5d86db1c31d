"""Settings from the environment, and the defaults that keep production safe."""

import stat

from werkzeug.security import check_password_hash

import config
from app import create_app


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.secret_key(str(tmp_path))
    assert len(first) >= 64
    assert config.secret_key(str(tmp_path)) == first
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert config.secret_key(str(tmp_path)) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_defaults_to_sqlite_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url(str(tmp_path)) == f"sqlite:///{tmp_path}/training.sqlite3"


def test_postgres_urls_use_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/training")
    assert config.database_url("/x") == "postgresql+psycopg://u:p@db/training"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/training")
    assert config.database_url("/x") == "postgresql+psycopg://u:p@db/training"


def test_environment_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://certs.example.org/")
    monkeypatch.setenv("TIMEZONE", "Europe/Moscow")
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    settings = config.from_environment(str(tmp_path))
    assert settings["PUBLIC_BASE_URL"] == "https://certs.example.org"
    assert settings["TIMEZONE"] == "Europe/Moscow"


def test_timezone_defaults_to_baku(tmp_path, monkeypatch):
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.setenv("SECRET_KEY", "k")
    assert config.from_environment(str(tmp_path))["TIMEZONE"] == "Asia/Baku"


def test_production_hashes_passwords_with_scrypt(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    app = create_app()
    assert not app.testing
    from auth.accounts import hash_password

    with app.app_context():
        hashed = hash_password("a long password")
    assert hashed.startswith("scrypt:")
    assert check_password_hash(hashed, "a long password")


def test_session_cookie_is_http_only_and_same_site(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
