# fangkong — the two commands of the README: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The suite runs on every CPU (pytest-xdist); each worker has its own database (tests/databases.py).
PYTEST_WORKERS ?= auto

.PHONY: install demo test lint pytest fuzz system-deps bench i18n clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the browser tests need: Chromium and a CJK font (else Chinese shows as boxes).
system-deps:
	@bash scripts/system-deps.sh

demo: install
	@mkdir -p var
	@$(BIN)/fangkong keys generate --env-file var/demo.env --if-missing
	@set -a; . ./var/demo.env; set +a; export FANGKONG_ENV=demo FANGKONG_LOG_JSON=false; \
	$(BIN)/fangkong db upgrade && \
	$(BIN)/fangkong simulate city --people 20000 --seed 1 --extras --if-empty && \
	$(BIN)/fangkong simulate outbreak --days 14 --seed 1 --seed-cases 10 --until-yesterday \
	  --if-empty --out var/outbreak/seed-1 && \
	$(BIN)/fangkong demo setup && \
	{ $(BIN)/fangkong worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "serving on http://$(HOST):$(PORT) (worker pid $$worker; Ctrl-C stops both)"; \
	  $(BIN)/fangkong serve --host $(HOST) --port $(PORT); }

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
pytest: install system-deps
	@set +e; $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

test: lint pytest

# The API fuzz in full: `make test` runs a few examples per operation, this many more
# (FUZZ_EXAMPLES=N to change; FANGKONG_TEST_DATABASE_URL for PostgreSQL, as for the suite).
FUZZ_EXAMPLES ?= 300
fuzz: install
	FANGKONG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -m fuzz tests/harness $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py

i18n: install
	$(BIN)/python scripts/catalogs.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts
