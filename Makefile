# The two commands: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app app
SOURCES := app.py config.py extensions.py models demo auth core courses trainees bench
# Two workers on the two cores here; override with `make test PYTEST_WORKERS=4`.
PYTEST_WORKERS ?= auto

.PHONY: run serve test bench loadtest lint format install clean translations extract-messages update-messages

# Compiled catalogues are made from the .po files at set-up; they are not kept in git.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -d translations -l $*

translations: $(MO_FILES)

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext -k _ln:1,2 -k lazy_pgettext:1c,2 -o translations/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# The address printed in certificates' QR codes; set it to the public one in production.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
export PUBLIC_BASE_URL

run: $(VENV)/.installed translations
	$(FLASK) init-db
	$(FLASK) seed-demo
	@echo "Serving on http://$(HOST):$(PORT)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production-like serving on the same database and settings as `make run`: gunicorn with
# workers and threads sized from the CPU count (see gunicorn.conf.py).
serve: $(VENV)/.installed translations
	$(FLASK) init-db
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) "app:create_app()"

# Pages against /health on a small and a large dataset; writes bench/results.json.
# WeasyPrint is installed for the certificate comparison only (it needs Pango).
bench: $(VENV)/.installed-test translations
	-$(BIN)/python -m pip install --quiet "weasyprint>=62"
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# A mix of instructors, trainees and visitors against gunicorn on SQLite and PostgreSQL,
# and two instances sharing one PostgreSQL and one Redis; 127.0.0.1 only, bounded.
loadtest: $(VENV)/.installed-test translations
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

test: $(VENV)/.installed-test translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive --severity-level medium $(SOURCES)
	$(BIN)/pytest -n $(PYTEST_WORKERS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
