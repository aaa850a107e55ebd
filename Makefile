# Two commands on a fresh machine: `make run` and `make test`. Everything else is a convenience.
# PostgreSQL and Redis come from DATABASE_URL / REDIS_URL when set, else from scripts/devstack.py
# (embedded servers under .data/). See README.md.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEVSTACK := $(PY) scripts/devstack.py
PYTEST_ARGS ?=
BENCH_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv run test services stop status lint format bench clean-data

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.x)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP) ## create the virtualenv and install the pinned requirements

run: $(STAMP) ## PostgreSQL + Redis (embedded unless given), migrate, demo data, serve on PORT (default 8000)
	$(DEVSTACK) run

test: $(STAMP) ## the whole test suite against real PostgreSQL and Redis (PYTEST_ARGS=... to narrow)
	$(DEVSTACK) exec -- $(PY) -m pytest $(PYTEST_ARGS)

services: $(STAMP) ## start the embedded PostgreSQL and Redis and leave them running
	$(DEVSTACK) services

stop: $(STAMP) ## stop the embedded PostgreSQL and Redis
	$(DEVSTACK) stop

status: $(STAMP) ## what is running
	$(DEVSTACK) status

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check .

format: $(STAMP) ## ruff format
	$(VENV)/bin/ruff format .

bench: $(STAMP) ## bench/claim.py (BENCH_ARGS=... e.g. --tasks 2000 --big 10000) and bench/live.py
	$(DEVSTACK) exec -- $(PY) bench/claim.py $(BENCH_ARGS)
	$(DEVSTACK) exec -- $(PY) bench/live.py

clean-data: ## delete .data/ (embedded databases, demo key); stops the servers first
	-test -x $(PY) && $(DEVSTACK) stop
	rm -rf .data
