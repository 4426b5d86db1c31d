"""A mistyped setting stops the app at start, naming the setting, instead of 500s later."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from config import SettingError, TestConfig

ROOT = Path(__file__).resolve().parent.parent


def config_without(*names: str) -> dict:
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    for name in names:
        config.pop(name, None)
    return config


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("TIMEZONE", "Asia/Bakuu", "TIMEZONE 'Asia/Bakuu' is not a time zone"),
        ("TIMEZONE", "../../etc/passwd", "TIMEZONE '../../etc/passwd' is not a time zone"),
        ("API_TOKEN_HOURS", "twelve", "API_TOKEN_HOURS is not valid"),
        ("PROXY_COUNT", "-1", "PROXY_COUNT must be a whole number of at least 0"),
        ("PUBLIC_BASE_URL", "verify.example.org", "PUBLIC_BASE_URL must start with http"),
        ("VERIFY_RATE_LIMIT", "thirty a minute", "VERIFY_RATE_LIMIT 'thirty a minute' is not"),
    ],
)
def test_an_invalid_setting_from_the_environment_stops_the_start(monkeypatch, name, value, said):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match=said.replace("(", r"\(").replace(".", r"\.")):
        create_app(config_without(name))


def test_a_token_lifetime_of_zero_hours_is_refused():
    with pytest.raises(SettingError, match="API_TOKEN_HOURS must be at least 1"):
        create_app({**config_without(), "API_TOKEN_HOURS": 0})


def test_the_command_line_names_the_setting_and_fails(tmp_path):
    environment = {
        **os.environ,
        "TIMEZONE": "Europe/Bakku",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "init-db"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TIMEZONE 'Europe/Bakku' is not a time zone" in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()
