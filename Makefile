# Soihtu: two commands on a fresh machine.
#   make demo  - install, prepare a SQLite demo organization, serve on http://127.0.0.1:8000
#   make test  - install what the tests need and run the whole suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON := $(shell python3 -c 'import sys; print(sys.executable)')
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
export UV_PROJECT_ENVIRONMENT := $(VENV)
DEMO_PEOPLE ?= 300
PORT ?= 8000
DEMO_ENV := SOIHTU_DEMO=1 SOIHTU_BASE_URL=http://127.0.0.1:$(PORT)

.PHONY: help python setup demo demo-setup test lint types checks pytest messages chromium gettext bench

help:
	@echo "make demo   install, load the demo organization and serve on http://127.0.0.1:8000 (PORT=8001 for another port)"
	@echo "make test   install what the tests need and run lint, types, checks and all tests"
	@echo "make bench  measure the peak load at 1,300 and 10,000 people on PostgreSQL (docs/benchmarks.md)"

python:
	@python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "Soihtu needs Python 3.12 or newer; python3 here is $$(python3 --version)."; \
	  echo "With pyenv, install 3.12 (the .python-version file selects it)."; exit 1; }

$(UV): | python
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

gettext:
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	  else echo "Install gettext (msgfmt) to compile translations: sudo apt-get install gettext"; exit 1; fi; }

chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

setup: $(VENV)/.synced gettext
	@$(PY) manage.py compilemessages --ignore '.venv' --ignore '.tools' -v0

demo-setup: setup
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEMO_ENV) $(PY) manage.py demo_generate --people $(DEMO_PEOPLE)

demo: demo-setup
	@echo
	@echo "Soihtu demo: open http://127.0.0.1:$(PORT)/demo/ and sign in with one click as a persona"
	@echo "(org admin, supervisor, torchbearer or member). Passwords are 'demo'. Ctrl-C stops."
	@echo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

types: setup
	$(VENV)/bin/mypy .

checks: setup
	$(PY) manage.py makemigrations --check --dry-run
	SOIHTU_ENV=production SECRET_KEY=check-deploy-only-$$RANDOM$$RANDOM-not-a-real-secret-key-0123456789 \
	  ALLOWED_HOSTS=soihtu.example.org SOIHTU_BASE_URL=https://soihtu.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py check_translations

pytest: setup chromium
	$(PY) -m pytest -n 2 --dist loadgroup

test: lint types checks pytest

messages: setup
	$(PY) manage.py makemessages -l fi -l sv -l en --ignore '.venv/*' --ignore '.tools/*' --no-obsolete

# Not part of `make test`: about 20 minutes with the defaults (docs/benchmarks.md). Needs
# PostgreSQL (DATABASE_URL, default the server on 127.0.0.1:5432); BENCH_SIZES, BENCH_USERS,
# BENCH_DURATION and BENCH_SINGLE_REQUESTS change the run.
bench: setup
	$(UV) sync --frozen --group bench
	$(PY) bench/run.py
