# make lab             : set up .venv and open the course in JupyterLab
# make test            : set up .venv and run every check (lint, types, tests, notebooks)
# make test PARITY=1   : the same, with PyTorch (CPU build) installed for the parity tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

# PyTorch, only for the tests that compare with it (the library never imports it). The CPU-only
# build: about 190 MB to download and 0.9 GB installed; a plain `pip install torch` on Linux
# pulls several GB of CUDA libraries instead.
PARITY ?= 0
TORCH := torch==2.13.0
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu

# Debian/Ubuntu packages, installed with apt-get when we are root: graphviz's dot for the
# lessons, bubblewrap for the grader's sandbox; Chromium and a font for the browser tests.
SYSTEM_PACKAGES := graphviz bubblewrap
TEST_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) chromium fonts-dejavu-core

.PHONY: lab test system venv parity bench

# Installs what is missing when root with apt-get; otherwise says what is missing and carries on.
system:
	@if command -v dpkg-query >/dev/null 2>&1; then \
		missing=$$(for p in $(SYSTEM_PACKAGES); do \
			dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed || printf '%s ' $$p; done); \
	else \
		missing=$$(command -v dot >/dev/null 2>&1 || echo 'graphviz '; command -v bwrap >/dev/null 2>&1 || echo 'bubblewrap '); \
	fi; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq; \
			for p in $$missing; do \
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$p >/dev/null || echo "apt-get could not install $$p"; \
			done; \
		else \
			echo "missing system packages: $$missing(Debian/Ubuntu: sudo apt-get install $$missing; macOS: brew install graphviz)"; \
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

# PARITY=1: install PyTorch's CPU build unless this venv already has it.
parity: $(VENV)/bin/activate
	@$(PY) -m pip show -q torch >/dev/null 2>&1 || $(PY) -m pip install -q --retries 1 "$(TORCH)" --extra-index-url $(TORCH_INDEX)

# The unit suite runs last: its final line says what was skipped, if anything, and how to run it.
test: SYSTEM_PACKAGES := $(TEST_SYSTEM_PACKAGES)
test: system venv $(if $(filter 1,$(PARITY)),parity)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy autograd_lab
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks solutions
	$(PY) -m pytest

bench: system venv
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/run.py
