# The two commands of the README: `make run` and `make test`. Each creates or refreshes .venv
# when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck contracts pytest wheel-check bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m kantor_cases

lint: $(STAMP)
	$(BIN)/ruff check kantor_cases tests benchmarks

contracts: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The wheel as a user installs it: built, installed alone into a fresh virtualenv, then a letter
# rendered and the window opened from that install (outside the source tree).
WHEEL_VENV := build/wheel-venv
wheel-check: $(STAMP)
	rm -rf dist build $(WHEEL_VENV)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	$(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet dist/kantor_cases-*.whl
	cd $(WHEEL_VENV) && bin/python $(CURDIR)/tests/wheel_smoke.py

test: lint contracts typecheck pytest wheel-check

# The 300,000-client demo office encrypted (as every new office is), signed in to as a scripted desk,
# with the plain office of the same rows measured beside it (BENCH_ARGS="--office encrypted" or
# "--office plain" for one of them; docs/benchmarks.md says what each figure is).
# BENCH_ARGS="--db postgresql+psycopg://USER:PASS@HOST/NAME_bench" measures search and the clients
# list on that PostgreSQL database instead (emptied and filled with the demo office; its figures go
# to .bench/latest-postgresql.json). The audit trail's figures (audit_verify_s over 1,000,000 rows, the
# seal's cost on a save and an import) go to .bench/latest-audit.json.
bench: $(STAMP)
	$(BIN)/python -m benchmarks --clients 300000 \
		--json .bench/$(if $(findstring --db,$(BENCH_ARGS)),latest-postgresql,latest).json $(BENCH_ARGS)
	$(if $(findstring --db,$(BENCH_ARGS)),,$(BIN)/python -m benchmarks.audit_bench --json .bench/latest-audit.json)

clean:
	rm -rf $(VENV) dist .pytest_cache .mypy_cache .ruff_cache .import_linter_cache build *.egg-info
