# union-warehouse — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
VENV := .venv
SETUP_STAMP := $(VENV)/.uw-setup-done
SAMPLE_INBOX := data/sample/inbox
export DAGSTER_HOME_DIR := $(CURDIR)/data/dagster_home

.PHONY: setup run test dev bench lint sample clean help dagster-home

help:
	@echo "make run    - set up, write the sample inbox if missing, run the pipeline into data/warehouse"
	@echo "make test   - set up and run every test (pytest, dbt tests)"
	@echo "make dev    - Dagster UI on http://127.0.0.1:3000 with run history under data/dagster_home"
	@echo "make bench  - time cold, no-op and new-quarter runs at scale 1 and 40 (SCALE=400: national size)"

setup: $(SETUP_STAMP)

$(SETUP_STAMP): pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || { echo "Installing uv…"; $(PYTHON) -m pip install --quiet uv; }
	@echo "Setting up $(VENV) (uv sync --frozen)…"
	@$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

$(SAMPLE_INBOX): | $(SETUP_STAMP)
	@$(VENV)/bin/uw sample --out $(SAMPLE_INBOX)

sample: $(SAMPLE_INBOX)

# The local Dagster instance of `make run` and `make dev`: no telemetry, no community
# pop-up (`nux`), one run at a time. Written once; settings missing from an older file are added.
dagster-home:
	@mkdir -p $(DAGSTER_HOME_DIR)
	@f=$(DAGSTER_HOME_DIR)/dagster.yaml; touch $$f; \
	grep -q '^telemetry:' $$f || printf 'telemetry:\n  enabled: false\n' >> $$f; \
	grep -q '^nux:' $$f || printf 'nux:\n  enabled: false\n' >> $$f; \
	grep -q '^concurrency:' $$f || printf 'concurrency:\n  runs:\n    max_concurrent_runs: 1\n' >> $$f

run: setup $(SAMPLE_INBOX) dagster-home
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(VENV)/bin/uw run --inbox $(SAMPLE_INBOX) $(if $(UW_WAREHOUSE_DIR),,--warehouse data/warehouse)

test: setup
	@bash scripts/install-test-deps.sh
	$(VENV)/bin/pytest -n 2 --dist loadgroup

# One run at a time (DuckDB has one writer); run history persists in $(DAGSTER_HOME_DIR).
# Sensor and schedules start STOPPED: turn them on in the UI (docs/orchestration.md).
dev: setup dagster-home
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(VENV)/bin/dagster dev -h 127.0.0.1 -p 3000

# Cold / no-op / new quarter against bare start and floor (docs/performance.md); SCALE=400 for national size.
bench: setup
	$(VENV)/bin/python -m pipelines.bench $(if $(SCALE),--scales $(SCALE))

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf data/warehouse dbt_project/target dbt_project/logs
