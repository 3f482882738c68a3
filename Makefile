# Lagebild — the two set-up commands are `make start` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export LAGEBILD_DATA_DIR ?= $(CURDIR)/var
# the targets find `lagebild` and `python` of the venv first (outside make: `. .venv/bin/activate`)
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install start stop test test-fast openapi ui ui-screenshots bench chaos evaluate clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

## Install, start API + worker on the embedded default (SQLite + file queue), push the seeds through it.
start: install
	BIN=$(BIN) scripts/quickstart.sh

stop:
	BIN=$(BIN) scripts/quickstart.sh stop

## Install and run the whole test suite (this is what CI runs).
test: install
	scripts/ensure-services.sh
	scripts/ensure-test-tools.sh
	$(BIN)/python -m pytest

## Only the fast tests (no servers).
test-fast: install
	$(BIN)/python -m pytest -m "not integration and not e2e"

## Regenerate openapi.yaml from the marshmallow schemas.
openapi: install
	$(BIN)/lagebild openapi --output openapi.yaml

## Build the analyst's view (ui/ -> service/ui/static/, committed) with the pinned npm packages.
ui:
	cd ui && npm ci --no-audit --no-fund && npm run build

## Screenshots of the analyst's view for the README (docs/ui-*.png).
ui-screenshots: install
	$(BIN)/python scripts/ui_screenshots.py

## Speed and memory benchmarks, written to docs/.
bench: install
	scripts/ensure-services.sh
	scripts/ensure-test-tools.sh
	$(BIN)/python benchmarks/model_speed.py
	$(BIN)/python benchmarks/extraction_speed.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/pipeline_cost.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/service_throughput.py
	$(BIN)/python benchmarks/read_latency.py
	$(BIN)/python benchmarks/webhook_latency.py
	$(BIN)/python benchmarks/story_grouping.py --write docs/benchmarks.md
	$(BIN)/python benchmarks/store_growth.py --write docs/benchmarks.md

## Fault tests against real processes (private Redis + PostgreSQL, API, worker): five faults,
## nothing lost or duplicated, healing times into docs/benchmarks.md; fails past 60 s (about 10 min).
chaos: install
	$(BIN)/python benchmarks/chaos.py

clean:
	rm -rf $(VENV) var .pytest_cache
