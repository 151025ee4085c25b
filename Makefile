# The two commands a newcomer needs: `make demo` and `make test`.
# Both create .venv (Python >= 3.11) and install the project into it on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install clean

$(BIN)/indmon: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/indmon

demo: install
	$(BIN)/indmon demo

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy flows schemas sources warehouse indmon bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
