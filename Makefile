# The two commands: `make demo` and `make test`. Everything installs into .venv from requirements/lock.txt.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install demo serve test test-postgres test-e2e lint messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements/lock.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) demo_load
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	$(MANAGE) runserver 127.0.0.1:$(PORT) --noreload

serve: install
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# The same suite on PostgreSQL (DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres by default).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest -n $(PYTEST_WORKERS) --create-db

# Browser tests in Debian's Chromium (CHROMIUM=/usr/bin/chromium); no browser is ever downloaded.
test-e2e: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m e2e -p no:xdist

lint: install
	$(BIN)/ruff check .

messages: install
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=var
	$(MANAGE) compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) var/static
