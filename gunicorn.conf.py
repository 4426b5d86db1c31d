"""gunicorn settings for `make serve` and production: sized from the machine's CPUs.

Requests spend much of their time waiting on the database, so each worker process
runs a few threads; processes share nothing but the database (and the rate-limit
store named by RATELIMIT_STORAGE_URI), so any number of them can run side by side.
"""

import multiprocessing
import os

cpus = multiprocessing.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY", cpus * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A course's certificate PDF takes seconds; anything longer is a stuck request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# Restart workers now and then so that a slow leak never grows for months.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"


def post_worker_init(worker):
    """Move everything loaded at start out of the garbage collector's sight.

    The app, its modules and templates live as long as the worker; without this,
    each full collection walks them all again, about a fifth of a busy page's time.
    """
    import gc

    gc.freeze()
