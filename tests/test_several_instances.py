"""Several application processes behind a load balancer share everything a request needs.

Two app instances stand for two gunicorn workers or two machines: they share only the
database and the Redis server named by RATELIMIT_STORAGE_URI. A sign-in made on one is
valid on the other, and the public verification limit counts requests to both.
"""

import shutil
import socket
import subprocess
import time

import pytest

from app import create_app
from extensions import db, limiter
from models import Role
from tests import conftest


@pytest.fixture(scope="module")
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        conftest.unavailable("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def two_instances(database_url, redis_url, app):
    """Two apps on the same database and the same limit store (`app` empties the tables)."""
    settings = {
        **conftest.test_config(database_url),
        "RATELIMIT_STORAGE_URI": redis_url,
        "VERIFY_RATE_LIMIT": "3 per minute",
    }
    instances = create_app(settings), create_app(settings)
    limiter.reset()  # what an earlier test counted in the shared store
    yield instances
    limiter.storage.storage.close()
    for instance in instances:
        with instance.app_context():
            db.engine.dispose()


def test_a_sign_in_on_one_instance_is_valid_on_the_other(two_instances, accounts):
    one, two = two_instances
    account = accounts.make(Role.ADMIN)
    first, second = one.test_client(), two.test_client()
    assert accounts.login(account, client=first).status_code == 302
    second.set_cookie("session", first.get_cookie("session").value)

    assert second.get("/courses").status_code == 200
    assert one.test_client().get("/courses").status_code == 302  # no cookie: sign in first


def test_the_verification_limit_counts_requests_to_every_instance(two_instances):
    one, two = two_instances
    clients = [one.test_client(), two.test_client()]
    # The limit is per address and shared: three answers in all, then 429 on both.
    statuses = [clients[i % 2].get("/verify/NOSUCHCODE0000").status_code for i in range(5)]

    assert statuses[:3] == [404, 404, 404]
    assert statuses[3:] == [429, 429]
