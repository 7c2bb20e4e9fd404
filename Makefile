# Two commands for a newcomer: `make run` (install + open the dashboard) and `make test` (install + every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The one setting for Chromium is the environment variable CLUSTERNET_CHROMIUM (image export and the end-to-end
# tests read it; unset, they take the chromium on the PATH). Here it only says which one to install if missing.
DEBIAN_CHROMIUM := $(or $(CLUSTERNET_CHROMIUM),/usr/bin/chromium)
PORT ?= 8501
# pytest-xdist workers: on 2 cores the end-to-end tests mostly wait on a browser, so more workers than cores pay.
WORKERS ?= 4

.PHONY: install chromium run test test-fast lint format lock benchmark benchmark-scale

# The exact versions of requirements.lock, within the ranges of pyproject.toml.
$(BIN)/clusternet: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(BIN)/clusternet

# Debian's chromium drives the end-to-end tests and kaleido's chart export (Playwright cannot download its own here).
chromium:
	@test -x $(DEBIAN_CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

run: install
	$(BIN)/clusternet run --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The 15 slowest tests, with their phase (setup, call, teardown), close the report: where the time goes.
test: install chromium lint
	$(BIN)/pytest -n $(WORKERS) --dist worksteal --durations=15

# The quick loop: everything but the end-to-end tests in the browser.
test-fast: install chromium lint
	$(BIN)/pytest -n 2 -m "not e2e" --durations=15

# Refresh requirements.lock: the newest versions pyproject.toml allows, installed into a fresh temporary venv
# without constraints, then frozen. Review the diff, then `make test`.
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp" requirements.lock.new' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install --quiet -e '.[dev]'; \
	{ \
	echo "# Every package \`pip install -e '.[dev]'\` installs, at the exact version tested ($$("$$tmp/venv/bin/python" -V))."; \
	echo "# Made by \`make lock\`: a fresh temporary venv, \`pip install -e '.[dev]'\` without constraints, then"; \
	echo "# \`pip freeze --exclude-editable\` (ClusterNet itself left out). Refresh it with \`make lock\`;"; \
	echo "# \`make install\` installs with it as constraints (\`pip install -c requirements.lock -e '.[dev]'\`)."; \
	"$$tmp/venv/bin/python" -m pip freeze --exclude-editable; \
	} > requirements.lock.new; \
	mv requirements.lock.new requirements.lock
	@echo "requirements.lock refreshed: review \`git diff requirements.lock\`"

# On demand, not in `make test`: speed is measured here, never asserted in tests.
benchmark: install
	$(BIN)/python -m pip install --quiet python-igraph
	$(BIN)/python benchmarks/metrics_at_scale.py

# On demand: programme scale in the browser, on a 10,000-organisation and a Horizon 2020-sized SYNTHETIC dataset.
benchmark-scale: install chromium
	test -d /tmp/clusternet-syn10k || $(BIN)/clusternet synthetic /tmp/clusternet-syn10k
	test -d /tmp/clusternet-h2020 || $(BIN)/clusternet synthetic /tmp/clusternet-h2020 --orgs 40000 --actions 35000 \
		--agreements 600 --shape programme --seed 99
	$(BIN)/python benchmarks/programme_scale.py --data /tmp/clusternet-syn10k --data /tmp/clusternet-h2020 --curated
