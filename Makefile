# The two quick-start commands: `make demo` (install + main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench

# Every dependency (runtime and test, the spaCy model package included) comes from
# requirements.lock: exact versions, each file checked against its sha256. The lock is
# installed with --no-deps: it already lists every package, and the pip that
# `python3 -m venv` brings (23.x) refuses, in --require-hashes mode, a dependency
# declared with extras (justext -> lxml[html_clean]) even when the lock pins it.
# `pip check` then proves the set is complete and consistent. fogwatch itself is
# installed without dependencies and without build isolation, so nothing unhashed is
# fetched (setuptools for the build is in the lock).
# Regenerate the lock after changing pyproject.toml's dependencies:
#   pip-compile --generate-hashes --extra test --allow-unsafe --strip-extras \
#     --no-emit-index-url --no-emit-find-links --no-emit-trusted-host -o requirements.lock pyproject.toml
$(BIN)/fogwatch: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(BIN)/python -m pip check
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

demo: $(BIN)/fogwatch
	$(BIN)/fogwatch demo

test: $(BIN)/fogwatch
	$(BIN)/python -m pytest

bench: $(BIN)/fogwatch
	$(BIN)/python bench/seed.py
	$(BIN)/python bench/throughput.py
