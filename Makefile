# Leadership Talent Tracker: the two commands.
#   make run   set everything up and serve the demo on http://127.0.0.1:8000 (SQLite, tasks in-process)
#   make test  set everything up and run the whole suite on PostgreSQL 15, Redis, a Celery worker and Chromium
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

TEST_DATABASE_URL ?= postgres://ltt:ltt@127.0.0.1:5432/ltt
TEST_BROKER_URL ?= redis://127.0.0.1:6379/1
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	SECRET_KEY=test-only-not-secret DEBUG=false SECURE_SSL_REDIRECT=false
RUN_ENV := DEBUG=true

.PHONY: help install assets run test test-dates test-services lint format migrations-check clean bench mutation

help:
	@echo "make run    set up and serve the demo on http://127.0.0.1:8000"
	@echo "make test   set up and run the whole test suite against PostgreSQL, Redis, Celery and Chromium"
	@echo "make test-dates  the suite (no browser, no worker) with the clock moved to five awkward days"
	@echo "make mutation  mutation scores of the core rules (long; not part of make test)"
	@echo "make lint   ruff"
	@echo "make bench  speed as people feel it: HTTP loads on 100,000 and 1,000,000 clinicians (BASE=<commit>: A/B)"

$(PY):
	PYTHON=$(PYTHON) bash scripts/ensure-toolchain.sh
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(PY)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	command -v npm >/dev/null || PYTHON=$(PYTHON) bash scripts/ensure-toolchain.sh
	npm ci --no-audit --no-fund

static/build/css/main.css: node_modules/.package-lock.json static/scss/main.scss scripts/copy-nhsuk-assets.mjs
	npm run --silent build

install: $(VENV)/.installed node_modules/.package-lock.json

# Compile NHS.UK frontend into static/build, then collect for WhiteNoise.
assets: install static/build/css/main.css
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0

run: assets
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_starter_content
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test-services:
	bash scripts/ensure-test-services.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

test: assets test-services lint migrations-check
	$(TEST_ENV) $(BIN)/pytest

# The suite without browser and worker tests, with the clock moved by libfaketime to each day in the script.
test-dates: assets test-services
	bash scripts/test-dates.sh

# Mutation testing of the core rules (configured in pyproject.toml), then the score of each. Long: run it on purpose.
mutation: assets test-services
	rm -rf mutants
	$(TEST_ENV) $(BIN)/mutmut run --max-children 1
	$(PY) scripts/mutation_report.py

# The HTTP bench (bench/run.py; docs/performance.md): gunicorn, PostgreSQL with 100,000 and 1,000,000 clinicians
# (seeded on the first run), Redis, Celery and locust; every figure of national scale side by side. BASE=<commit>
# runs the pages' loads against that commit side by side; BENCH_ARGS passes options (e.g. "--populations
# 10000,20000 --seconds 15" for a quick try, "--only first-views,refresh" for some parts).
BASE ?=
BENCH_ARGS ?=
bench: assets test-services
	$(PY) bench/run.py $(if $(BASE),--base $(BASE)) $(BENCH_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/build var
