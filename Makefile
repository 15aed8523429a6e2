# The two quick-start commands: `make demo` (install + main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench

$(BIN)/fogwatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

demo: $(BIN)/fogwatch
	$(BIN)/fogwatch demo

$(VENV)/.test-deps: $(BIN)/fogwatch
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

test: $(VENV)/.test-deps
	$(BIN)/python -m pytest

bench: $(BIN)/fogwatch
	$(BIN)/python bench/seed.py
	$(BIN)/python bench/throughput.py
