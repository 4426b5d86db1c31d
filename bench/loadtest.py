"""`make loadtest`: many people at once, on SQLite and PostgreSQL, and two app instances.

1. gunicorn with 4 workers on SQLite (WAL) and then on PostgreSQL: instructors save
   sheets (each their own training day, as on the range), trainees read their
   dashboard, visitors verify a certificate, all at once for a bounded time. Reported:
   requests per second, p95 latency and errors; any error or "database is locked"
   fails the run.
2. Two instances on different ports, one PostgreSQL and one Redis: a sign-in on one is
   valid on the other, and the verification limit counts across both.

Everything listens on 127.0.0.1 only and stops within a minute a part.

    python -m bench.loadtest [--seconds 20]
"""

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.pages import app_for, pages_of, recent_training_days
from bench.run import dataset
from bench.server import Server, free_port, signed_in_headers
from tests.services import PostgresServer

ROOT = Path(__file__).resolve().parent.parent


def mix(base: str, pages: list, headers: dict, days: list[str], seconds: float) -> dict:
    """Instructors saving, trainees reading, visitors verifying; answers the tally."""
    by_name = {page.name: page for page in pages}
    save = by_name["attendance_save"]
    actors = [("save", save, save.path.rsplit("/", 1)[0] + f"/{day}") for day in days]
    actors += [("read", by_name["trainee_dashboard"], "/me")] * 3
    actors += [("verify", by_name["verify_page"], by_name["verify_page"].path)] * 3
    port = int(base.rsplit(":", 1)[1])
    deadline = time.perf_counter() + seconds
    latencies, failures, lock = [], [], threading.Lock()

    def act(page, path) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection.request(
                page.method,
                path,
                body=page.encoded_body(),
                headers={**page.headers, **headers[page.who]},
            )
            answer = connection.getresponse()
            text = answer.read()
            mine.append((time.perf_counter() - started) * 1000)
            if answer.status >= 400:
                bad.append(f"{answer.status} {path}: {text[:120]!r}")
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    started = time.perf_counter()
    threads = [threading.Thread(target=act, args=(page, path)) for _, page, path in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "rps": round(len(ordered) / elapsed, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "errors": len(failures),
        "locked": sum("locked" in failure for failure in failures),
        "examples": failures[:5],
    }


def run_mix(label: str, url: str, seconds: float) -> dict:
    app = app_for(url)
    pages = pages_of(app)
    with Server(url, workers=4) as server:
        headers = signed_in_headers(server.base, {page.who for page in pages})
        tally = mix(server.base, pages, headers, recent_training_days(app), seconds)
    print(
        f"{label:<12} {tally['rps']:>8} req/s  p95 {tally['p95_ms']:>7} ms  "
        f"errors {tally['errors']}  locked {tally['locked']}"
    )
    for example in tally["examples"]:
        print(f"    {example}")
    return tally


def two_instances(url: str) -> list[str]:
    """Problems seen when two instances share one PostgreSQL and one Redis."""
    problems = []
    redis_port = free_port()
    redis = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    shared = {
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}",
        "VERIFY_RATE_LIMIT": "10 per minute",
    }
    try:
        time.sleep(0.5)
        pages = pages_of(app_for(url))
        verify = next(page for page in pages if page.name == "verify_page")
        with Server(url, workers=2, env=shared) as one, Server(url, workers=2, env=shared) as two:
            cookie = signed_in_headers(one.base, {"trainee"})["trainee"]
            status = _status(two.base, "/me", cookie)
            if status != 200:
                problems.append(f"a session from one instance answered {status} on the other")
            answers = [_status(server.base, verify.path, {}) for server in (one, two) * 6]
            if answers[:10] != [200] * 10 or set(answers[10:]) != {429}:
                problems.append(f"verification limit not shared: {answers}")
    finally:
        redis.terminate()
        redis.wait(timeout=10)
    return problems


def _status(base: str, path: str, headers: dict) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=30)
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    answer.read()
    return answer.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="at most 60")
    args = parser.parse_args()
    seconds = min(args.seconds, 60.0)
    results = {"sqlite": run_mix("SQLite", dataset("small", 0), seconds)}
    with PostgresServer.from_environment() as server:
        url = server.create_database("loadtest")
        results["postgresql"] = run_mix("PostgreSQL", dataset_at(url), seconds)
        problems = two_instances(url)
    for problem in problems:
        print(f"two instances: {problem}")
    if not problems:
        print("two instances: a sign-in and the verification limit are shared")
    failed = problems or any(r["errors"] or r["locked"] for r in results.values())
    sys.exit(1 if failed else 0)


def dataset_at(url: str) -> str:
    os.environ["BENCH_LOADTEST_DATABASE_URL"] = url
    return dataset("loadtest", 0)


if __name__ == "__main__":
    main()
