# The two commands of the README: `make run` and `make test`. Everything else is their detail.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
DEMO_SCALE ?= 1
# Browser tests drive Debian's Chromium (not a browser downloaded by Playwright).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint demo sources bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

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

test: lint $(CHROMIUM)
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/generation.py --scale $(DEMO_SCALE) --repeat 1
	$(BIN)/python bench/queries.py --scale $(DEMO_SCALE) --data-dir data
	$(BIN)/python bench/secrecy_overhead.py --scale $(DEMO_SCALE) --data-dir data
	$(BIN)/python bench/pages.py --scale $(DEMO_SCALE) --data-dir data --repeat 3
	$(BIN)/python bench/pages.py --scale $(DEMO_SCALE) --data-dir data --repeat 3 --warm

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
