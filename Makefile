# Two commands work on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve lint golden browser bench clean

site: $(STAMP)
	$(BIN)/briefing build --config-file mkdocs.yml

test: $(STAMP) browser
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty -a 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# every expected output a test compares with: rendered pages, ingested records, check messages
golden: $(STAMP)
	BRIEFING_UPDATE_GOLDEN=1 $(BIN)/python -m pytest \
		tests/test_render.py tests/test_ingest_golden.py tests/test_records.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py --sizes 100,1000,2500,10000 --mkdocs-max 10000

browser:
	bash scripts/ensure-chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache
