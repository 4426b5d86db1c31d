# gunicorn settings for the benchmark: none of gunicorn.conf.py's sizing, only its start-up hook.


def post_worker_init(worker):
    """As gunicorn.conf.py: the objects loaded at start are kept out of collections."""
    import gc

    gc.freeze()
