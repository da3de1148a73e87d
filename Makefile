# The one entry point: `make run` for a first look, `make test` for the whole suite.
# Needs only Python >= 3.11 and make; everything else is installed into .venv (and, where npm is
# found, axe-core into node_modules for the browser tests' accessibility check).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run serve test lint bench migrate seed messages clean help

help:
	@echo "make run    - install, migrate, seed Kota Magelang with demo data, serve on http://$(HOST):$(PORT)"
	@echo "make serve  - migrate, collect static files, run gunicorn, a Celery worker and beat (Procfile)"
	@echo "make test   - install the development dependencies and run the whole test suite"
	@echo "make lint   - ruff, format check, mypy, makemigrations --check"
	@echo "make bench  - run the benchmarks and print their figures"
	@echo "make backup - pg_dump -Fc the DATABASE_URL database to var/backups/ (BACKUP_DIR=, FILE=)"
	@echo "make restore FILE=... - restore a backup into an empty database (FORCE=1: over one)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@ $(VENV)/.installed

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py load_magelang --demo

# The portal's own error pages, as in production; `DEBUG=true make run` for Django's debug pages.
# --insecure: runserver serves the static files with DEBUG off too.
DEBUG ?= false

run: seed
	@echo ""
	@echo "Portal: http://$(HOST):$(PORT)/   admin: http://$(HOST):$(PORT)/admin/"
	DEBUG=$(DEBUG) $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

# The production process set without Docker (Procfile, run by honcho): gunicorn, a Celery worker
# and Celery beat against the PostgreSQL and Redis of the environment (or .env); one Ctrl-C stops
# all three. Migrates and collects the static files first, as compose's migrate service does.
serve: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@mkdir -p var
	SERVE_HOST=$(HOST) PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start --procfile Procfile --port $(PORT)

# axe-core for the browser tests' accessibility check, at the version package.json pins exactly
# (no lock file: it would name the registry's host).
# Without npm the accessibility checks skip on a laptop (and fail under CI=true, where .ci/run
# installs npm first).
node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null; then \
	  npm install --no-package-lock --no-audit --no-fund && touch $@; \
	else echo "npm not found: the browser tests' accessibility checks will skip"; fi

# In parallel, one pytest-xdist worker per CPU (PYTEST_WORKERS=0 for one process): each worker
# has its own test database, cache key prefix and Celery queue (tests/conftest.py).
PYTEST_WORKERS ?= auto

test: $(VENV)/.installed-dev node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run

# BENCH_SCALE=tiny|city|province|country: the issue 15 figures on the PostgreSQL server of
# DATABASE_URL, in a scratch database magelang_bench_<scale> (BENCH_ARGS=--keep keeps it for the
# next run); without PostgreSQL it says so and prints the SQLite figures. JSON: var/bench/.
BENCH_SCALE ?= city
BENCH_ARGS  ?=

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks --scale $(BENCH_SCALE) $(BENCH_ARGS)

# PostgreSQL only: the database comes from DATABASE_URL (its password goes to pg_dump through
# PGPASSWORD, never on a command line). `make -s backup` prints only the new file's path.
.PHONY: backup restore
backup: $(VENV)/.installed
	$(BIN)/python manage.py backup $(if $(FILE),--file "$(FILE)") $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)")

# In one transaction; refused over a database holding tables unless FORCE=1.
restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/<name>.dump [FORCE=1]" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(filter 1,$(FORCE)),--force)

# Regenerate the Indonesian catalogue from the code, then compile it (needs GNU gettext).
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages --locale id --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --no-location
	$(BIN)/python manage.py compilemessages --locale id --ignore '.venv/*'

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache .ruff_cache .mypy_cache
