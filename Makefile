# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test` (one per core by default; TEST_WORKERS=0 runs in one process).
TEST_WORKERS ?= auto
# The browser tests' screenshots (screenshots/, for a person to look at) cost a tenth of their time; `make test`
# leaves them out unless FII_SCREENSHOTS=1. A browser test run with pytest itself makes them.
FII_SCREENSHOTS ?= 0

.PHONY: run test lint messages setup clean audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_fii_data

# The web server and the background worker that sends the mail; one Ctrl-C stops both.
# Links in mails point at this server unless FII_BASE_URL says otherwise.
run: setup
	FII_BASE_URL=$${FII_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver_with_worker $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	FII_SCREENSHOTS=$(FII_SCREENSHOTS) $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Known vulnerabilities in the installed dependencies (OSV database); .ci/run calls it.
audit: $(STAMP)
	$(BIN)/pip-audit --progress-spinner off --skip-editable --vulnerability-service osv

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages -l nl --ignore=.venv

clean:
	rm -rf $(VENV)
