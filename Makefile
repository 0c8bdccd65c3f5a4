# CaseFlow: `make run` serves the demo, `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
PYTEST_ARGS ?= -n 2 -q

.PHONY: run serve test lint test-sqlite test-postgres install install-test system-deps translations bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask caseflow init
	$(BIN)/flask caseflow demo
	@echo "CaseFlow on http://127.0.0.1:5000  (stop with Ctrl-C)"
	$(BIN)/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:5000 wsgi:app

system-deps:
	bash scripts/install-system-deps.sh

lint: install-test
	$(BIN)/ruff check .

test-sqlite: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install-test
	bash scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

test: system-deps install-test lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
