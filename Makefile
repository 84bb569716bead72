# Two commands for users: `make` (build everything) and `make test` (run every test).
# `make check` is the inner loop while editing (lint, unit and validation tests; under a minute);
# `make bench` times the workflow against a one-process baseline (results/bench.json).
# Every path below is relative or quoted: the project may live in a folder whose path has spaces.

SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BOOK := book/_build/html/index.html

.PHONY: all setup data workflow check test test-setup bench lint clean

all: workflow
	@echo
	@echo "Book: $(CURDIR)/$(BOOK)"
	@echo "Open it in a browser, or serve it: $(BIN)/python -m http.server -d book/_build/html"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# The one locked environment; bytecode compiled because this machine sets PYTHONDONTWRITEBYTECODE.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --compile-bytecode
	touch $@

setup: $(VENV)/.synced

# Restore the DVC-tracked raw data from the remote kept in the repository (no network needed).
data: setup
	$(BIN)/dvc pull --quiet

workflow: data
	$(BIN)/python -m biomedimg.locks
	$(BIN)/snakemake --cores all

lint: setup
	$(BIN)/ruff check workflow tests
	$(BIN)/ruff format --check workflow tests
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint

# Browser tests need Debian's Chromium (Playwright drives it; it downloads no browser of its own).
test-setup: setup
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "Installing Debian's chromium and a CJK font for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# Fast tests only: those marked slow (they build the workflow) or browser are left to `make test`.
check: lint
	$(BIN)/pytest -q -m "not slow and not browser"

# The whole suite (what CI runs via .ci/run).
test: test-setup lint workflow
	$(BIN)/pytest -q

bench: workflow
	$(BIN)/python -m biomedimg.bench

clean:
	rm -rf results logs book/_build .snakemake
