"""Load generators: wrk where it is installed, else a small threaded Python client.

Both answer the same `Load`: requests per second, the median latency and how many
answers were not 2xx/3xx, for one URL hammered over a few keep-alive connections.
"""

import http.client
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Load:
    rps: float
    p50_ms: float
    p95_ms: float
    requests: int
    errors: int


@dataclass
class Request:
    url: str
    method: str = "GET"
    headers: dict | None = None
    body: bytes | None = None


def hammer(request: Request, seconds: float, connections: int = 8) -> Load:
    if shutil.which("wrk"):
        return _wrk(request, seconds, connections)
    return _python(request, seconds, connections)


def _wrk(request: Request, seconds: float, connections: int) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(request))
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "-s",
        script.name,
        request.url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = int(re.search(r"^P50_US (\d+)", output, re.M).group(1)) / 1000
    p95 = int(re.search(r"^P95_US (\d+)", output, re.M).group(1)) / 1000
    total = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failed = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in failed.groups()) if failed else 0
    )
    return Load(rps=rps, p50_ms=p50, p95_ms=p95, requests=total, errors=errors)


def _lua(request: Request) -> str:
    lines = [f'wrk.method = "{request.method}"']
    for name, value in (request.headers or {}).items():
        lines.append(f"wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}")
    if request.body is not None:
        lines.append(f"wrk.body = {_lua_string(request.body.decode())}")
    # wrk's own table skips the 95th percentile: print both from its histogram.
    lines.append(
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("P50_US %d\\nP95_US %d\\n",'
        " latency:percentile(50), latency:percentile(95)))\n"
        "end"
    )
    return "\n".join(lines) + "\n"


def _lua_string(text: str) -> str:
    level = "=" * 3
    return f"[{level}[{text}]{level}]"


def _python(request: Request, seconds: float, connections: int) -> Load:
    parts = urlsplit(request.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request(
                    request.method, path, body=request.body, headers=request.headers or {}
                )
                answer = connection.getresponse()
                answer.read()
                failed += answer.status >= 400
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return Load(
        rps=len(latencies) / elapsed,
        p50_ms=statistics.median(ordered),
        p95_ms=ordered[int(0.95 * (len(ordered) - 1))],
        requests=len(latencies),
        errors=errors[0],
    )
