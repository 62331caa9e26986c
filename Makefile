# polydash: `make demo`, `make run`, `make test` work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON_CANDIDATES := python3.12 python3.13 python3.14 python3

# The interpreter that creates the venv: `make test PYTHON=/path/to/python3.12` picks one;
# otherwise the first Python >= 3.12 on PATH (3.12 first: the snapshots are made with it).
# It is looked up only when the venv has to be created, and printed as its real path (a
# pyenv shim resolves to the interpreter behind it, or fails and the next name is tried).
ifeq ($(strip $(PYTHON)),)
override PYTHON = $(shell for p in $(PYTHON_CANDIDATES); do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' \
	2>/dev/null && break; done)
endif

.PHONY: demo run test lint bench clean

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "polydash needs Python >= 3.12; none of $(PYTHON_CANDIDATES) on PATH is one."; \
		echo "Get one, then run make again:"; \
		echo "  Debian/Ubuntu:  sudo apt-get install python3.12 python3.12-venv"; \
		echo "  pyenv:          pyenv install 3.12  (.python-version selects it here)"; \
		echo "  uv:             uv python install 3.12; make PYTHON=\"\$$(uv python find 3.12)\""; \
		echo "  macOS:          brew install python@3.12"; \
		echo "Or name an interpreter: make PYTHON=/path/to/python3.12"; \
		exit 2; \
	fi >&2
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		echo "polydash needs Python >= 3.12; PYTHON=$(PYTHON) is not one." >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/polydash --demo

run: $(VENV)/.installed
	$(VENV)/bin/polydash

# Layering contracts are in pyproject.toml [tool.importlinter]; --no-cache keeps the
# tree clean (building the graph takes well under a second).
test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check tui tests benchmarks
	$(VENV)/bin/lint-imports --no-logo --no-cache
	$(VENV)/bin/pytest -q -n 2 -p no:cacheprovider

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check tui tests benchmarks
	$(VENV)/bin/lint-imports --no-logo --no-cache

# Every figure is printed as it is measured, recorded in benchmarks/results.json (name,
# value, unit, goal: benchmarks/results.py) and printed again together at the end.
bench: $(VENV)/.installed
	@rm -f benchmarks/results.json
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done
	@echo "== every figure (benchmarks/results.json)"; $(PY) benchmarks/results.py

clean:
	rm -rf $(VENV) build *.egg-info
