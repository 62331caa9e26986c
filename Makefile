# polydash: `make demo`, `make run`, `make test` work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# A Python >= 3.12 on this machine (3.12 first: the snapshots are made with it).
PYTHON ?= $(shell for p in python3.12 python3.13 /root/.pyenv/versions/3.12.1/bin/python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: demo run test lint bench clean

$(PY):
	@test -n "$(PYTHON)" || { echo "polydash needs Python >= 3.12 (none found on PATH)"; exit 2; }
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

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check tui tests benchmarks
	$(VENV)/bin/pytest -q -n 2 -p no:cacheprovider

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check tui tests benchmarks

bench: $(VENV)/.installed
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
