# CaseFlow: `make run` serves the demo, `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
PYTEST_ARGS ?= -n 2 -q

.PHONY: run serve test lint security test-sqlite test-postgres install install-test system-deps translations axe bench clean

$(VENV)/.installed: pyproject.toml scripts/link-mat2.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	bash scripts/link-mat2.sh $(VENV)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test axe

# Catalogs: extract every gettext string, update (or create) fr es pt ar, compile the .mo files (committed).
LANGUAGES := fr es pt ar
TRANSLATIONS := caseflow/translations
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location \
		--sort-output --no-wrap --project=CaseFlow -o $(TRANSLATIONS)/messages.pot .
	for lang in $(LANGUAGES); do \
		if [ -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang \
				--no-fuzzy-matching --ignore-obsolete --no-wrap; \
		else \
			$(BIN)/pybabel -q init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang --no-wrap; \
		fi; \
	done
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

# axe-core (accessibility engine, from the npm registry) for tests/e2e/test_a11y.py, pinned by package-lock.json.
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --ignore-scripts
	touch $@

# Two apps over one core: the staff app on :5000 and the reporter portal on :5001, both on loopback.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask caseflow init
	$(BIN)/flask caseflow demo
	@echo "CaseFlow staff app:       http://127.0.0.1:5000  (demo logins above)"
	@echo "CaseFlow reporter portal: http://127.0.0.1:5001  (no login; stop both with Ctrl-C)"
	$(BIN)/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:5001 portal_wsgi:app & portal=$$!; \
	trap 'kill $$portal 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:5000 wsgi:app

# Production serving: gunicorn.conf.py (workers, timeouts, request limits, no client address in logs).
# `flask caseflow init` after each upgrade indexes people stored before it; behind a proxy set CASEFLOW_BEHIND_PROXY=1.
# APP=staff (default, wsgi:app) or APP=portal (the reporter portal, portal_wsgi:app), e.g. on its own host.
BIND ?= 127.0.0.1:8000
WORKERS ?= 2
APP ?= staff
serve: install
	$(BIN)/flask db upgrade
	$(BIN)/flask caseflow init
	@case "$(APP)" in staff) module=wsgi;; portal) module=portal_wsgi;; \
		*) echo "APP must be staff or portal" >&2; exit 2;; esac; \
	echo "serving the $(APP) app on http://$(BIND)"; \
	exec $(BIN)/gunicorn -c gunicorn.conf.py --bind $(BIND) --workers $(WORKERS) $$module:app

# Benchmarks (bench/README.md): seed, pages, verify, intake, pdf, import on SQLite and a throwaway PostgreSQL.
# BENCH_SCALE=small (20k cases, a few minutes), 100k, or 1m (national scale, long). Never part of `make test`.
BENCH_SCALE ?= small
bench: install-test
	BENCH_SCALE=$(BENCH_SCALE) bash scripts/with-postgres.sh $(BIN)/python -m bench.run all --scale $(BENCH_SCALE)

system-deps:
	bash scripts/install-system-deps.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy caseflow
	$(BIN)/lint-imports

# Security checks: ruff's bandit rules (S), bandit itself (no high finding may pass), pip-audit of the pins
# (reported as SKIPPED, not passed, when PyPI's vulnerability data cannot be reached).
security: install-test
	$(BIN)/ruff check --select S --ignore S101,S311 .
	$(BIN)/bandit -q -c pyproject.toml -r caseflow config.py wsgi.py --severity-level high
	$(BIN)/python scripts/pip_audit_pins.py

test-sqlite: install-test
	$(BIN)/pytest $(PYTEST_ARGS) -m "not postgres_only"

test-postgres: install-test
	bash scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

test: system-deps install-test lint security test-sqlite test-postgres

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache tests/e2e/axe/node_modules
