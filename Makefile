# Two commands for a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install clean

$(BIN)/zhnews: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/zhnews

install: $(BIN)/zhnews

# Ingest the bundled seeds/ into warehouse/zhnews.duckdb and show what landed.
run: install
	$(BIN)/zhnews ingest
	$(BIN)/zhnews stats

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) warehouse/zhnews.duckdb warehouse/zhnews.duckdb.wal
