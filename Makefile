# Two commands for a newcomer: `make run` (install + open the dashboard) and `make test` (install + every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8501

.PHONY: install chromium run test lint format benchmark

$(BIN)/clusternet: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/clusternet

# Debian's chromium drives the end-to-end tests and kaleido's chart export (Playwright cannot download its own here).
chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

run: install
	$(BIN)/clusternet run --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install chromium lint
	$(BIN)/pytest

# On demand, not in `make test`: speed is measured here, never asserted in tests.
benchmark: install
	$(BIN)/python -m pip install --quiet python-igraph
	$(BIN)/python benchmarks/metrics_at_scale.py
