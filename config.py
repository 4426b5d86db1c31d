"""Settings, read from the environment.

Every setting has a safe default for the embedded SQLite demo; none of them is an
insecure fallback: when SECRET_KEY is unset a random key is generated once and kept
in the instance folder, so sessions survive restarts and all processes share it.
"""

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many

DEFAULT_TIMEZONE = "Asia/Baku"


def database_url(instance_path: str) -> str:
    """The SQLAlchemy URL from DATABASE_URL, defaulting to SQLite in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "training.sqlite3")
    # psycopg 3 is the driver we install; Heroku-style URLs name no driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def retired_keys(instance_path: str) -> list[str]:
    """Earlier certificate keys: the environment's list, then the instance folder's file."""
    keys = [k.strip() for k in os.environ.get("CERTIFICATE_RETIRED_KEYS", "").split(",")]
    path = Path(instance_path) / "certificate_retired_keys"
    if path.exists():
        keys += [line.strip() for line in path.read_text().splitlines()]
    return [key for key in keys if key]


def secret_key(instance_path: str, name: str = "SECRET_KEY") -> str:
    """A key from the environment, else the one kept in the instance folder."""
    key = os.environ.get(name, "").strip()
    if key:
        return key
    path = Path(instance_path) / name.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when several processes start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_hex(32)
        handle.write(key)
    return key


def from_environment(instance_path: str, given=()) -> dict:
    """The settings read from the environment, except those `given` explicitly."""
    readers = {
        "SQLALCHEMY_DATABASE_URI": lambda: database_url(instance_path),
        "SECRET_KEY": lambda: secret_key(instance_path),
        # Signs certificates; separate, so rotating SECRET_KEY leaves them verifiable.
        "CERTIFICATE_KEY": lambda: secret_key(instance_path, "CERTIFICATE_KEY"),
        # Keys rotated out: certificates they signed keep verifying (core/keys.py).
        "CERTIFICATE_RETIRED_KEYS": lambda: retired_keys(instance_path),
        # Keys the audit chain (HMAC): outside the database, so its writers cannot reseal it.
        "AUDIT_KEY": lambda: secret_key(instance_path, "AUDIT_KEY"),
        # The trail's length and head after each commit, outside the database (core/
        # audit_heads.py); unset: a file per database in the instance folder; empty: none.
        "AUDIT_HEADS_FILE": lambda: os.environ.get("AUDIT_HEADS_FILE"),
        "PUBLIC_BASE_URL": lambda: os.environ.get(
            "PUBLIC_BASE_URL", "http://127.0.0.1:5000"
        ).rstrip("/"),
        "TIMEZONE": lambda: os.environ.get("TIMEZONE", DEFAULT_TIMEZONE),
        "API_TOKEN_HOURS": lambda: int(os.environ.get("API_TOKEN_HOURS", "12")),
        # memory:// is per process: behind several gunicorn workers use redis:// or similar.
        "RATELIMIT_STORAGE_URI": lambda: os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Requests per address on the public verification (the benchmark raises it).
        "VERIFY_RATE_LIMIT": lambda: os.environ.get("VERIFY_RATE_LIMIT", "30 per minute"),
        # How many reverse proxies (nginx...) stand in front: their X-Forwarded-For is trusted.
        "PROXY_COUNT": lambda: int(os.environ.get("PROXY_COUNT", "0")),
    }
    values = {}
    for key, read in readers.items():
        if key in given:
            continue
        try:
            values[key] = read()
        except ValueError as error:
            raise SettingError(f"{key} is not valid: {error}") from error
    return values


class SettingError(RuntimeError):
    """A setting the app cannot run with: it stops at start, naming the setting."""


def check(settings: dict) -> None:
    """Refuse to start with a setting that would fail later, on every request that needs it."""
    try:
        ZoneInfo(settings["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise SettingError(
            f"TIMEZONE {settings['TIMEZONE']!r} is not a time zone (for example Asia/Baku)."
        ) from error
    if not str(settings["PUBLIC_BASE_URL"]).startswith(("http://", "https://")):
        raise SettingError("PUBLIC_BASE_URL must start with http:// or https://.")
    for key in ("API_TOKEN_HOURS", "PROXY_COUNT", "IMPORT_MAX_UNPACKED_BYTES"):
        value = settings.get(key)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise SettingError(f"{key} must be a whole number of at least 0, not {value!r}.")
    if not settings.get("API_TOKEN_HOURS"):
        raise SettingError("API_TOKEN_HOURS must be at least 1.")
    rate = settings.get("VERIFY_RATE_LIMIT")
    if rate is not None:
        try:
            parse_many(rate)
        except (ValueError, TypeError) as error:
            raise SettingError(
                f"VERIFY_RATE_LIMIT {rate!r} is not a rate limit (for example 30 per minute)."
            ) from error


def derived(settings: dict) -> dict:
    """Settings that follow from others."""
    secure = settings.get("SESSION_COOKIE_SECURE") or settings["PUBLIC_BASE_URL"].startswith(
        "https://"
    )
    # Served over HTTPS, the session cookie never travels over plain HTTP.
    return {
        "SESSION_COOKIE_SECURE": bool(secure),
        # Times on pages are shown where the training happens.
        "BABEL_DEFAULT_TIMEZONE": settings["TIMEZONE"],
    }


class BaseConfig:
    """Settings that do not depend on the environment."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # uploads are rosters, not archives
    IMPORT_MAX_UNPACKED_BYTES = 50_000_000  # an XLSX import may unpack to this much
    WTF_CSRF_TIME_LIMIT = None  # a form left open all day on the training ground still saves
    BOOTSTRAP_SERVE_LOCAL = True  # no CDN: the training ground may be offline
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent / "translations")
    LANGUAGES = ("en", "az", "ru")
    API_TITLE = "Pyrotechnic training courses"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "info": {
            "description": "Courses, trainees, attendance, results and certificates. "
            "Authenticate with `POST /api/v1/tokens`, then send `Authorization: Bearer <token>`."
        },
        "security": [{"bearer": []}],
    }
    API_TOKEN_HOURS = 12
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    ATTENDANCE_CORRECTION_DAYS = 7  # after that, only an administrator corrects a sheet
    DATABASE_RETRY_AFTER_SECONDS = 5  # the Retry-After of a 503 when the database is away
    SIGN_IN_MAX_FAILURES = 5  # by one client within SIGN_IN_WINDOW_MINUTES lock that client
    SIGN_IN_WINDOW_MINUTES = 15
    SIGN_IN_MAX_LOCK_MINUTES = 60  # a client's lock doubles from one minute up to this
    # The whole account locks only against many addresses at once, and not for long.
    SIGN_IN_ACCOUNT_ADDRESSES = 5
    SIGN_IN_ACCOUNT_FAILURES = 20
    SIGN_IN_ACCOUNT_LOCK_MINUTES = 5
    SESSION_IDLE_MINUTES = 30
    SESSION_MAX_HOURS = 12
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_MAX_LENGTH = 128


class TestConfig:
    """Overrides for the test suite. CSRF stays on: tests fill in the real forms."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    CERTIFICATE_KEY = "test-certificate-key-not-for-production"
    CERTIFICATE_RETIRED_KEYS: list[str] = []
    AUDIT_KEY = "test-audit-key-not-for-production"
    PUBLIC_BASE_URL = "http://verify.test"
    TIMEZONE = DEFAULT_TIMEZONE
    # Cheaper hashing keeps the suite fast; production uses Werkzeug's scrypt default.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
