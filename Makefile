# The two commands of the README: `make run` and `make test`. Everything else is their detail.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
DEMO_SCALE ?= 1
# Browser tests drive Debian's Chromium (not a browser downloaded by Playwright).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint audit lock demo sources bench clean

# Installs only what a lock names, each file checked against its hash, wheels only (no build
# step runs code from outside the lock). The runtime lock brings the locked pip itself.
PIP_INSTALL = $(BIN)/python -m pip install --quiet --require-hashes --only-binary :all:
# The locks are for the Python and the machine of the README and of CI: 3.11 on Linux x86_64.
UV_COMPILE = UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile --quiet --generate-hashes \
	--python-version 3.11 --python-platform x86_64-unknown-linux-gnu

# Python 3.11's venv comes with an old setuptools: nothing here uses it, and it is in no lock.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip uninstall --quiet --yes setuptools

$(VENV)/.installed: requirements.lock $(BIN)/python
	$(PIP_INSTALL) -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PIP_INSTALL) -r requirements-dev.lock
	touch $@

# After a change of requirements*.txt (the pins edited by hand). Versions already locked stay
# unless a pin needs others; LOCK_FLAGS=--upgrade takes the newest allowed of every dependency.
# The dev lock is constrained by the runtime one: both install the same runtime versions.
lock: $(VENV)/.installed-dev
	$(UV_COMPILE) $(LOCK_FLAGS) requirements.txt -o requirements.lock
	$(UV_COMPILE) $(LOCK_FLAGS) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

demo: $(VENV)/.installed
	$(BIN)/python -m observatory demo --if-missing --scale $(DEMO_SCALE)

# Official open data: from the producers, or from a local folder with MIRROR=DIR.
sources: demo
	$(BIN)/python -m observatory sources pull $(if $(MIRROR),--mirror $(MIRROR))

# The query database of the active snapshot, rebuilt when missing or of another code version (a
# damaged snapshot is reported and the server starts anyway: it serves the one before).
run: demo
	-$(BIN)/python -m observatory snapshots rebuild --if-outdated
	$(BIN)/python -m observatory.ui.serve --address 127.0.0.1 --port $(PORT)

$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "Chromium absent ($(CHROMIUM)) et apt-get indisponible : installez-le."; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

# Known vulnerabilities of every locked version, as PyPI publishes them per version (pip-audit's
# source). An advisory without a fixed version is ignored here, each with its reason, e.g.
#   AUDIT_IGNORES = --ignore-vuln PYSEC-0000-00  # <why it does not touch us>
AUDIT_IGNORES =
PIP_AUDIT = $(BIN)/pip-audit --requirement requirements-dev.lock --require-hashes --disable-pip --strict \
	--progress-spinner off $(AUDIT_IGNORES)
# Whether PyPI answers the advisories of a version (the locked pip's), as pip-audit asks them.
ADVISORIES_REACHABLE = $(BIN)/python -c "import pip, urllib.request; \
	urllib.request.urlopen(f'https://pypi.org/pypi/pip/{pip.__version__}/json', timeout=15)" 2>/dev/null
ADVISORIES_UNREACHABLE = echo "pip-audit : les avis de vulnérabilité de PyPI sont injoignables (pas de réseau, ou un \
	accès réduit à l'index des paquets) : audit des dépendances NON FAIT." >&2

audit: $(VENV)/.installed-dev
	@$(ADVISORIES_REACHABLE) || { $(ADVISORIES_UNREACHABLE); exit 1; }
	$(PIP_AUDIT)

# The audit fails the tests on a known vulnerability; advisories out of reach are said, not fatal.
test: lint $(CHROMIUM)
	@if $(ADVISORIES_REACHABLE); then $(PIP_AUDIT); else $(ADVISORIES_UNREACHABLE); fi
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/generation.py --scale $(DEMO_SCALE) --repeat 1
	$(BIN)/python bench/queries.py --scale $(DEMO_SCALE) --data-dir data
	$(BIN)/python bench/secrecy_overhead.py --scale $(DEMO_SCALE) --data-dir data
	$(BIN)/python bench/pages.py --scale $(DEMO_SCALE) --data-dir data --repeat 3
	$(BIN)/python bench/pages.py --scale $(DEMO_SCALE) --data-dir data --repeat 3 --warm

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
