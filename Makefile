# Oceń Urząd — make run · make test · make lint · make bench
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HASH := $(shell cat pyproject.toml | sha1sum | cut -c1-12)
# Two installs: what running needs (make run), and that plus the test tools (make test,
# make install). Each is redone when pyproject.toml changes.
RUN_STAMP := $(VENV)/.installed-run-$(HASH)
STAMP := $(VENV)/.installed-dev-$(HASH)

.PHONY: run test test-fast lint bench install browser-deps messages screenshots clean

$(RUN_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	rm -f $(VENV)/.installed-run-*; touch $@

$(STAMP): $(RUN_STAMP)
	$(PY) -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-dev-* $(VENV)/.installed-[0-9a-f]*; touch $@

install: $(STAMP)

# gunicorn (127.0.0.1, 2 workers, gunicorn.conf.py) and two background workers (one a core:
# a large scan upload is read by both at once, each at nice SCANS_WORKER_NICE) under one
# supervisor: Ctrl-C stops all (src/ocenurzad/core/supervise.py).
run: $(RUN_STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py demo
	$(PY) manage.py reports_warm
	exec $(PY) -m ocenurzad.core.supervise \
	  "web=$(VENV)/bin/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers 2" \
	  "worker-1=$(PY) manage.py jobs_worker" \
	  "worker-2=$(PY) manage.py jobs_worker"

# Browser tests need Debian's chromium + chromedriver, axe-core from npm and the Nu HTML
# Checker (npm package vnu-jar, run with the installed Java 17); WeasyPrint
# needs HarfBuzz-Subset for fonts in PDFs that are the same byte for byte on every render
# (its fallback, fontTools, stamps the current time into each embedded font).
browser-deps:
	@command -v chromedriver >/dev/null && command -v chromium >/dev/null && command -v java >/dev/null && \
	  /sbin/ldconfig -p | grep -q libharfbuzz-subset || \
	  { (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver libharfbuzz-subset0 openjdk-17-jre-headless >/tmp/ocenurzad-apt.log 2>&1 || \
	      { cat /tmp/ocenurzad-apt.log; exit 1; }; }
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/vnu-jar/build/dist/vnu.jar || \
	  npm install --no-audit --no-fund --silent

test: $(STAMP) browser-deps
	$(PY) -m pytest -n 2 -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench tools
	$(VENV)/bin/ruff format --check src tests bench tools

bench: $(STAMP)
	$(PY) bench/submit.py

# Catalogues (English, Ukrainian, German) kept with gettext: translate the .po files in a PO
# editor; tools/machine_drafts.py lists entries nobody has reviewed yet.
messages: $(STAMP)
	cd src/ocenurzad && ../../$(PY) ../../manage.py makemessages -l en -l uk -l de --no-obsolete
	PYTHONPATH=src $(PY) -m ocenurzad.core.i18n
	cd src/ocenurzad && ../../$(PY) ../../manage.py compilemessages -l en -l uk -l de

# The manual's screenshots (docs/pl/img) from the demo in headless Chromium; commit them.
screenshots: $(STAMP) browser-deps
	mkdir -p docs/pl/img
	OCENURZAD_SCREENSHOTS=docs/pl/img $(PY) -m pytest -q -p no:randomly \
	  tests/browser/test_manual_screenshots.py

clean:
	rm -rf $(VENV) var node_modules
