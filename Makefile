# The two commands a newcomer needs: `make demo` and `make test`.
# Both create .venv (Python >= 3.11) and install the project into it on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install clean bench

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

# The province-scale benchmark and the demo county's timings (bench/README.md), ~10 min.
bench: install
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.run --backend both --scale 1 0.1
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.demo --backend sqlite

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy flows schemas sources warehouse indmon bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
