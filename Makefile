# Caravan Atlas — set-up and everyday commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)

.PHONY: run test test-fast bench index browser clean help

help:
	@echo "make run    - create .venv, install, open the dashboard on the demo corpus"
	@echo "make test   - create .venv, install everything the tests need (incl. Chromium), run the tests"
	@echo "make bench  - run the benchmarks and print the figures"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

# The gazetteer index is built on first use too; building it here keeps the first run fast.
# (So are the offline basemap's place names, dashboard/static/basemap/, a few seconds once.)
index: $(VENV)/.installed
	$(PY) -m geo index
	$(PY) -m dashboard.basemap

run: $(VENV)/.installed index
	$(PY) -m dashboard

# Browser tests use the system Chromium (Debian's package); Playwright's own download does not work here.
browser:
	@if [ -z "$(CHROMIUM)" ]; then \
		echo "Installing Chromium from Debian's packages"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null

test: $(VENV)/.installed browser index
	bash scripts/install_postgres.sh
	$(PY) -m pytest -q

test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not browser"

bench: $(VENV)/.installed index
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .cache
