# The two quick-start commands: `make run` and `make test`. Each creates .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint build clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the graph from the bundled articles into .diplograph/ and serve it on $(HOST):$(PORT), 127.0.0.1:8000
## unless given (`make run PORT=8080`; Ctrl-C stops).
run: $(STAMP)
	$(BIN)/kg ingest data/articles
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

## Run the whole test suite (and the linter and the type checker).
test: $(STAMP)
	$(BIN)/ruff check kg server.py tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/kg ingest data/articles

clean:
	rm -rf $(VENV) .diplograph .pytest_cache
