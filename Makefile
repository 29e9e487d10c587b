# The portal's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Local development and the test suite run with debugging on; production sets its own.
export DJANGO_DEBUG ?= 1
# `PORT=8100 make run` serves on another port; the portal's links (mails, calendars) follow it.
export PORT ?= 8000

.PHONY: run test install translations messages lint check format bench cluster audit screenshots browser-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed

translations: install
	$(MANAGE) compile_translations

run: install translations
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install translations browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# Debian's Chromium and its driver drive the browser tests; installed when missing (as root).
# axe-core (package.json, locked) is what they inject into pages to check accessibility.
browser-deps:
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }; \
		npm ci --no-audit --no-fund --silent; \
	fi
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			echo "Install Debian's chromium and chromium-driver for the browser tests."; exit 1; \
		fi; \
	fi

messages: install
	cd . && $(MANAGE) makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles --ignore=bench --no-obsolete

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What a reviewer checks before reading a change: lint, migrations that match the models, and a
# Chinese translation for every translatable text (needs GNU gettext's xgettext).
check: lint
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check_translations

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Load benchmark on PostgreSQL (DATABASE ciep_bench) at the 17th edition's size, with a Redis of
# its own; prints a table per page and one of mixed traffic with writers.
bench: install translations
	@command -v wrk >/dev/null && command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk redis-server >/dev/null)
	$(PY) -m pip install --quiet ".[bench]"
	$(PY) bench/run.py

# The portal on several machines, on loopback: two app servers behind nginx, Celery, Redis, an
# S3 server and a mail server of its own; checks what must hold between machines (a table).
cluster: install translations
	@if ! command -v nginx >/dev/null || ! command -v redis-server >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx redis-server >/dev/null; \
	fi
	$(PY) deploy/cluster.py

# Lighthouse (desktop and mobile) and the Nu HTML checker on the main pages in both languages,
# served as in production on demo data (deploy/audit.py; AUDIT_ARGS="--only home,job" narrows
# it). Their npm packages are locked apart (deploy/audit/) so that `make test` stays lean.
audit: install translations browser-deps
	@if [ ! -x deploy/audit/node_modules/.bin/lighthouse ] || [ deploy/audit/package-lock.json -nt deploy/audit/node_modules/.package-lock.json ]; then \
		cd deploy/audit && npm ci --no-audit --no-fund --silent; \
	fi
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null)
	$(PY) deploy/audit.py $(AUDIT_ARGS)

# The main pages at 1280 and 390 px in both languages, from a running portal (`make run`):
# `make screenshots SHOTS_URL=http://127.0.0.1:8000 SHOTS_DIR=/tmp/shots`. Chinese pages need a
# CJK font in the headless browser, installed when missing (as root).
SHOTS_URL ?= http://127.0.0.1:$(PORT)
SHOTS_DIR ?= screenshots
screenshots: install browser-deps
	@fc-list :lang=zh family 2>/dev/null | grep -q . || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null)
	$(PY) deploy/screenshots.py $(SHOTS_URL) $(SHOTS_DIR) $(PAGES)

clean:
	rm -rf $(VENV) staticfiles
