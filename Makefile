# Two commands: `make demo` (set up, build the default system on SQLite, serve) and
# `make test` (set up, lint, type-check, run the tests). Each creates its own venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/custodia demo

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

# Two test processes, one per core of the machines it runs on; each test has a database of
# its own (a file, or a PostgreSQL database made from a template), so they never meet.
test: lint
	$(BIN)/python -m pytest -q -n 2

bench: $(BIN)/.installed
	bash benchmarks/run_all.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
