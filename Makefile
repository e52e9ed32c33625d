# The two quick-start commands: `make run` and `make test`. Each creates .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint build clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the graph from the bundled articles into .diplograph/ and serve it on 127.0.0.1:8000 (Ctrl-C stops).
run: $(STAMP)
	$(BIN)/kg ingest data/articles
	$(BIN)/kg serve --host 127.0.0.1 --port 8000

## Run the whole test suite (and the linter).
test: $(STAMP)
	$(BIN)/ruff check kg server.py tests bench
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/kg ingest data/articles

clean:
	rm -rf $(VENV) .diplograph .pytest_cache
