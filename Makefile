# Samspill: the developer's commands. GNU make on Debian (or any Unix) with python3 >= 3.11,
# node and npm. `make help` lists the targets; README.md explains them.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PORT ?= 8000
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SAMSPILL := $(BIN)/samspill
PYTEST := $(BIN)/pytest
PYTEST_ARGS ?=
# Test databases: pytest-django derives test_<name>[_gwN] from the database name.
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_URL ?= redis://127.0.0.1:6379/0
# The OpenAPI schema is generated in English, the API's source language, so that it does not
# depend on the machine's LANGUAGE_CODE.
OPENAPI := LANGUAGE_CODE=en $(SAMSPILL) export_openapi_schema --api samspill.api.urls.api --indent 2 --sorted

# The newest python3 >= 3.11 on PATH. Each candidate is run, so a pyenv shim for a version
# that is not activated is skipped. Evaluated only when the virtualenv is created.
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 python3.11 python3
PYTHON ?= $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c 'import sys; assert sys.version_info >= (3, 11)' >/dev/null 2>&1 && echo $(p))))

DEMO_USERS := sales service marketing finance hr it operations legal management admin
DEMO_PASSWORD := samspill-demo

# $(call pytest,ARGS): pytest with ARGS; exit code 5 ("no tests collected") is a failure,
# because every suite here is expected to run tests, unless ALLOW_NO_TESTS=1.
define pytest
	@rc=0; $(PYTEST) $(1) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then \
	  if [ -n "$(ALLOW_NO_TESTS)" ]; then echo "No tests were collected (allowed)."; rc=0; \
	  else echo "No tests were collected, but tests were expected here." >&2; fi; \
	fi; \
	exit $$rc
endef

.PHONY: help install run worker test test-browser test-pg test-redis lint openapi \
	openapi-check messages bench FORCE

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# --- Installation ---------------------------------------------------------------------------

$(PY):
	@py="$(PYTHON)"; \
	if [ -z "$$py" ]; then echo "Samspill needs Python 3.11 or newer on PATH (python3.11, python3.12, ...)." >&2; exit 1; fi; \
	echo "==> Creating $(VENV) with $$($$py --version)"; \
	$$py -m venv $(VENV)

# Stamp files make `make install` instant when nothing changed.
$(VENV)/.stamp-python: pyproject.toml | $(PY)
	@echo "==> Installing Python packages"
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(VENV)/.stamp-node: package-lock.json $(if $(wildcard node_modules/.package-lock.json),,FORCE) | $(PY)
	@echo "==> Installing front-end assets (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.stamp-python $(VENV)/.stamp-node ## Create .venv, install Python packages and npm assets

# --- Running -----------------------------------------------------------------------------

# DEBUG=1 only here: the server speaks plain http on localhost, and with DEBUG off Samspill
# marks its session and CSRF cookies Secure (https only) and expects collected, hashed static
# files, so logging in over http://127.0.0.1 would not work.
run: install ## Migrate, load the demo company, run a task worker and the web server on 127.0.0.1:PORT (8000)
	@export DEBUG="$${DEBUG:-1}"; \
	export EMAIL_URL="$${EMAIL_URL:-file:}"; \
	echo "==> Migrating the database"; \
	$(SAMSPILL) migrate --noinput --verbosity 0; \
	echo "==> Loading the demo company (idempotent)"; \
	$(SAMSPILL) demo; \
	if $(SAMSPILL) help worker >/dev/null 2>&1; then worker=worker; burst=--burst; \
	else worker=db_worker; burst=--batch; fi; \
	echo "==> Delivering the events of the demo company"; \
	LOG_LEVEL=WARNING $(SAMSPILL) $$worker $$burst --verbosity 0; \
	echo "==> Starting the task worker (samspill $$worker) in the background"; \
	$(SAMSPILL) $$worker & worker_pid=$$!; \
	trap 'kill $$worker_pid 2>/dev/null || true; wait $$worker_pid 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT TERM; \
	echo; \
	echo "    Samspill runs at http://127.0.0.1:$(PORT)/"; \
	echo "    Log in as one of: $(DEMO_USERS)"; \
	echo "    Password: $(DEMO_PASSWORD)"; \
	if [ "$$EMAIL_URL" = "file:" ]; then echo "    E-mails it sends are written to var/mail/ (EMAIL_URL changes that)."; fi; \
	echo "    Stop with Ctrl+C."; \
	echo; \
	$(SAMSPILL) runserver 127.0.0.1:$(PORT)

# --- Tests ---------------------------------------------------------------------------------

test: install ## The full suite on SQLite, in parallel, without the browser tests
	$(call pytest,-n auto -m "not browser")

test-browser: install ## The end-to-end tests in headless Chromium (Playwright)
	$(call pytest,-m browser tests/browser)

test-pg: install ## The suite on PostgreSQL (PG_URL, default the local server)
	@echo "==> DATABASE_URL=$(PG_URL)"
	$(call pytest,-n auto -m "not browser")

# Each pytest-xdist worker has its own RQ queue (TASK_QUEUE default-gw0, default-gw1 ...; see
# settings.py), so the workers share one Redis without taking each other's jobs.
test-redis: install ## The suite with the RQ task backend on Redis (REDIS_URL), in parallel
	@echo "==> TASK_BACKEND=rq REDIS_URL=$(REDIS_URL)"
	$(call pytest,-n auto -m "not browser")

test-pg: export DATABASE_URL = $(PG_URL)
test-redis: export TASK_BACKEND = rq
test-redis: export REDIS_URL := $(REDIS_URL)

# --- Quality ---------------------------------------------------------------------------------

lint: install ## ruff, ruff format, mypy, import contracts, missing migrations, OpenAPI schema
	@echo "==> ruff check"
	$(BIN)/ruff check
	@echo "==> ruff format --check"
	$(BIN)/ruff format --check
	@echo "==> mypy"
	$(BIN)/mypy
	@echo "==> import-linter"
	$(BIN)/lint-imports --no-cache
	@echo "==> makemigrations --check"
	$(SAMSPILL) makemigrations --check --dry-run
	@$(MAKE) --no-print-directory openapi-check

openapi: install ## Regenerate docs/openapi.json from the API
	$(OPENAPI) --output docs/openapi.json
	@echo "docs/openapi.json updated"

openapi-check: install
	@echo "==> docs/openapi.json is up to date"
	@tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; \
	$(OPENAPI) --output "$$tmp"; \
	if ! diff -u docs/openapi.json "$$tmp"; then \
	  echo "docs/openapi.json differs from the API: run 'make openapi' and commit it." >&2; exit 1; \
	fi

# Every app with a locale/ folder has its own catalogue; the project-level src/samspill/locale
# (if present) collects only what no app catalogue covers.
messages: install ## makemessages + compilemessages (nb) for every app with a locale/ folder
	@samspill="$(abspath $(SAMSPILL))"; \
	apps=$$(find src/samspill -mindepth 2 -maxdepth 3 -type d -name locale | sort); \
	for locale in $$apps; do \
	  app=$$(dirname "$$locale"); echo "==> $$app"; \
	  (cd "$$app" && "$$samspill" makemessages -l nb --no-obsolete --no-wrap && "$$samspill" compilemessages); \
	done; \
	if [ -d src/samspill/locale ]; then \
	  echo "==> src/samspill"; \
	  ignores=(); for locale in $$apps; do a=$$(dirname "$$locale"); a=$${a#src/samspill/}; ignores+=(--ignore "$$a/*"); done; \
	  (cd src/samspill && "$$samspill" makemessages -l nb --no-obsolete --no-wrap "$${ignores[@]}" && \
	   "$$samspill" compilemessages); \
	fi

bench: install ## Benchmarks: prints a table, writes var/bench/results.json (BENCH_DB=postgres)
	$(PY) bench/run.py

FORCE:
