"""`make bench`: how fast the busiest pages are, against `/health`, on small and large data.

For each dataset (the demo with a 60-trainee course; the same with about 500 completed
courses and a million attendance records) it serves the app with gunicorn (2 workers)
on 127.0.0.1, loads each page in turn with `/health` before and after it in the same
run, and counts the SQL queries of one request in-process. Ratios to `/health` make
the numbers comparable between machines; `growth` is the large dataset's median
latency over the small one's. Writes bench/results.json and prints a table.

    python -m bench.run [--seconds 5] [--only small|large|certificates] [--courses 500]

`--only certificates` times the course PDF against WeasyPrint and nothing else (no
server); it replaces only that part of bench/results.json.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bench.certificates import certificate_speed
from bench.load import Request, hammer
from bench.pages import app_for, count_queries, pages_of
from bench.server import Server, signed_in_headers

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
# Ambitious on purpose: calibrated on a 2-core machine with a prototype of these pages.
TARGETS = {
    "attendance_sheet": 0.12,
    "attendance_save": 0.25,
    "attendance_grid": 0.07,
    "results_matrix": 0.10,
    "trainee_dashboard": 0.22,
    "progress_api": 0.35,
    "course_certificates": 0.08,
    "verify_page": 0.50,
}
MAX_QUERIES = 8
MAX_GROWTH = 1.3


def dataset(name: str, courses: int) -> str:
    """The URL of a seeded benchmark database, made on first use and reused after."""
    url = os.environ.get(f"BENCH_{name.upper()}_DATABASE_URL") or (
        f"sqlite:///{ROOT / 'instance' / f'bench-{name}.sqlite3'}"
    )
    env = {**os.environ, "DATABASE_URL": url}
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "init-db"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run([*flask, "seed-bench", "--courses", str(courses)], env=env, check=True, cwd=ROOT)
    return url


def measure(url: str, seconds: float) -> list[dict]:
    app = app_for(url)
    pages = pages_of(app)
    queries = count_queries(app, pages)
    rows = []
    with Server(url, workers=2) as server:
        headers = signed_in_headers(server.base, {page.who for page in pages})
        health = Request(server.base + "/health")
        hammer(health, 1)  # warm both workers
        for page in pages:
            request = Request(
                server.base + page.path,
                method=page.method,
                headers={**page.headers, **headers[page.who]},
                body=page.encoded_body(),
            )
            hammer(request, 1)
            before = hammer(health, seconds)
            load = hammer(request, seconds)
            after = hammer(health, seconds)
            hello = (before.rps + after.rps) / 2
            rows.append(
                {
                    "name": page.name,
                    "rps": round(load.rps, 1),
                    "p50_ms": round(load.p50_ms, 2),
                    "ratio_vs_hello": round(load.rps / hello, 3),
                    "queries": queries[page.name],
                    "errors": load.errors,
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page and per /health")
    parser.add_argument("--courses", type=int, default=500, help="copied courses in the large set")
    parser.add_argument(
        "--only",
        choices=["small", "large", "certificates"],
        help="measure one dataset only, or only the certificate PDF",
    )
    args = parser.parse_args()
    if args.only == "certificates":
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results["certificates"] = certificate_speed(app_for(dataset("small", 0)))
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        print_certificates(results["certificates"])
        return
    runs = {}
    for name, courses in (("small", 0), ("large", args.courses)):
        if args.only in (None, name):
            runs[name] = measure(dataset(name, courses), args.seconds)
    main_run = runs.get("small") or runs["large"]
    if "small" in runs and "large" in runs:
        for small, large in zip(runs["small"], runs["large"], strict=True):
            small["growth"] = round(large["p50_ms"] / small["p50_ms"], 2)
            small["queries_large"] = large["queries"]
    results = {
        "pages": main_run,
        "large": runs.get("large"),
        "certificates": certificate_speed(app_for(dataset("small", 0))),
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


def print_table(results: dict) -> None:
    print(
        f"\n{'page':<20} {'req/s':>8} {'p50 ms':>8} {'ratio':>7} {'target':>7} "
        f"{'queries':>8} {'growth':>7} {'errors':>7}"
    )
    for row in results["pages"]:
        target = TARGETS.get(row["name"])
        flag = "" if target is None or row["ratio_vs_hello"] >= target else " <"
        growth = row.get("growth")
        print(
            f"{row['name']:<20} {row['rps']:>8} {row['p50_ms']:>8} {row['ratio_vs_hello']:>7}"
            f" {target:>7}{flag:<2}{row['queries']:>6} {growth if growth else '-':>7}"
            f" {row['errors']:>7}"
        )
    print_certificates(results["certificates"])
    print(f"\nTargets: ratio as listed, at most {MAX_QUERIES} queries, growth <= {MAX_GROWTH}.")
    print(f"Written to {RESULTS.relative_to(ROOT)}.")


def print_certificates(speed: dict) -> None:
    print(
        f"\ncourse PDF: {speed['pages_per_second']} pages/s; WeasyPrint: "
        f"{speed.get('weasyprint_pages_per_second') or 'not installed'}; "
        f"ratio {speed.get('ratio_vs_weasyprint') or '-'} (target >= 5)"
    )
    busy = [(key.split("_")[2], value) for key, value in speed.items() if key.startswith("seconds")]
    print("a worker is busy " + ", ".join(f"{s} s for {n} pages" for n, s in busy))


if __name__ == "__main__":
    main()
