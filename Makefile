# zonehero: two commands on a fresh machine.
#   make run   install into .venv, seed a demo zone and serve it on http://127.0.0.1:8000/
#   make test  install what tests need (Debian packages too) and run everything
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo
DATA_DIR ?= data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install system-deps demo clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests need (PostgreSQL server, Chromium, CJK fonts); installed only when missing.
system-deps:
	@scripts/system-deps.sh test

run: install
	@scripts/system-deps.sh runtime
	$(BIN)/zonehero serve --demo --data-dir $(DATA_DIR) --host $(HOST) --port $(PORT)

# The CLI alone, no server: the demo zone's department files evaluated into a workbook.
demo: install
	$(BIN)/zonehero demo-data --out $(DEMO_DIR)/input --enterprises 300 --seed 1
	$(BIN)/zonehero evaluate $(DEMO_DIR)/input --year 2025 --out $(DEMO_DIR)/result-2025.xlsx

# Lint, formatting, types and the import contracts first: a broken rule fails CI before any test runs.
# PYTHONDONTWRITEBYTECODE is cleared: without the bytecode cache every worker and every server a test starts
# compiles the whole package again (collection alone: 14.7 s of CPU without it, 7.9 s with it).
test: install system-deps lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q -n 2 --dist loadgroup --durations=25

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: install
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_robustness.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(DATA_DIR) .pytest_cache .ruff_cache .mypy_cache
