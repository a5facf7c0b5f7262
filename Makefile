# make lab  : set up .venv and open the course in JupyterLab
# make test : set up .venv and run every check (lint, types, tests, notebooks)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: lab test system venv bench

# System packages (graphviz's dot, bubblewrap for the grader's sandbox); installed with apt-get when we are root.
system:
	@if ! command -v dot >/dev/null 2>&1 || ! command -v bwrap >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz bubblewrap; \
		else \
			echo "graphviz's 'dot' or bubblewrap is missing: install them (Debian/Ubuntu: sudo apt-get install graphviz bubblewrap; macOS: brew install graphviz)"; \
		fi; \
	fi

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

venv: $(VENV)/bin/activate
	$(PY) -m pip install -q -e '.[test,lab]'

lab: system $(VENV)/bin/activate
	$(PY) -m pip install -q -e '.[lab]'
	$(PY) -m autograd_lab.cli lab . -- $(LAB_ARGS)

test: system venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy autograd_lab
	$(PY) -m pytest
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks solutions

bench: system venv
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/run.py
