"""gunicorn settings of the benchmark: none beyond its command line."""
