# zonehero: two commands on a fresh machine.
#   make run   install into .venv, build a demo zone and serve it
#   make test  install what tests need (Debian packages too) and run everything
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo

.PHONY: run test lint bench install install-dev system-deps demo clean

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
	$(BIN)/zonehero demo-data --out $(DEMO_DIR)/input --enterprises 300 --seed 1
	$(BIN)/zonehero evaluate $(DEMO_DIR)/input/* --year 2025 --out $(DEMO_DIR)/result-2025.xlsx

test: install system-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -q -n 2

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_cli.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .ruff_cache .mypy_cache
