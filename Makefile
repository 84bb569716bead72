# Two commands for users: `make` (build everything) and `make test` (run every test).
# `make check` is the inner loop while editing (lint, unit and validation tests; under a minute);
# `make bench` times the workflow against a one-process baseline (results/bench.json), `make bench-tests`
# the tests (both in docs/benchmark.md).
# Every path below is relative or quoted: the project may live in a folder whose path has spaces.

SHELL := /bin/bash
# The project's own settings: a value given on make's command line does not replace them.
override TOOLS := .tools
override UV := $(TOOLS)/bin/uv
override VENV := .venv
override BIN := $(VENV)/bin
override UV_VERSION := 0.13.8
override SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
override BOOK := book/_build/html/index.html

# What a user sets (make why FILE=… ROW=…, make diff REV=… TO=…, PYTHON=…; CI passes REV from pull
# requests) is data, never make or shell text: taken as written ($(value …): a `$(shell …)` in it is
# not run) and handed to the programs in the environment, where the recipes quote it ("$$FILE").
PYTHON ?= python3
override PYTHON := $(value PYTHON)
override FILE := $(value FILE)
override ROW := $(value ROW)
override REV := $(value REV)
override TO := $(value TO)
export PYTHON FILE ROW REV TO

# Every recipe runs this checkout's package, whichever checkout the environment was made in; a path
# the user set (for example the SLURM plugin's folder, README) follows it.
override PYTHONPATH := $(CURDIR)/workflow$(if $(value PYTHONPATH),:$(value PYTHONPATH))
export PYTHONPATH

.PHONY: all setup data workflow slurm check test test-setup bench bench-tests lint clean tidy diff why

all: workflow
	@echo
	@echo "Book: $$(pwd)/$(BOOK)"
	@echo "Open it in a browser, or serve it: $(BIN)/python -m http.server -d book/_build/html"

$(UV):
	"$$PYTHON" -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# The one locked environment; bytecode compiled because this machine sets PYTHONDONTWRITEBYTECODE.
# An environment belongs to the folder it was made in (its install of the package and its scripts'
# #! lines name it), which the stamp records. In a copied or moved checkout it would run the other
# folder's code, or nothing: there it is made again (uv's cache makes that quick). A stamp from before
# it recorded the folder is checked against the package's install; a .venv that is a link is shared
# on purpose (the tests' throw-away copies) and left alone.
VENV_IS_HERE = [ -L $(VENV) ] || [ "$$(cat $(VENV)/.synced 2>/dev/null)" = "$$(pwd -P)" ] \
  || { [ -f $(VENV)/.synced ] && [ ! -s $(VENV)/.synced ] \
       && grep -qsxF "$$(pwd -P)/workflow" $(VENV)/lib/python*/site-packages/*biomedimg*.pth; }
ifneq ($(shell [ ! -e $(VENV) ] || $(VENV_IS_HERE) || echo elsewhere),)
.PHONY: $(VENV)/.synced
endif
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	@if [ -e $(VENV) ] && ! { $(VENV_IS_HERE); }; then \
	  was=$$(cat $(VENV)/.synced 2>/dev/null); \
	  echo "$(VENV) was made in $${was:-another folder}, not in $$(pwd -P) (a copied or moved checkout): making it again here"; \
	  rm -rf $(VENV); \
	fi
	$(UV) sync --frozen --compile-bytecode
	pwd -P > $@

setup: $(VENV)/.synced

# The SLURM executor plugin at its locked version (pyproject.toml's group `slurm`), installed beside
# the environment rather than in it: Snakemake imports every installed executor plugin at start-up,
# and this one costs half a second. `make slurm` puts it on PYTHONPATH and the environment first on
# PATH, which sbatch passes on to every cluster job.
SLURM_PLUGIN := $(TOOLS)/slurm-plugin
SLURM_JOBSTEP := $(SLURM_PLUGIN)/snakemake_executor_plugin_slurm_jobstep/__init__.py
EXPORT := $(UV) export --frozen --no-hashes --no-annotate --no-header --no-emit-project
$(SLURM_PLUGIN)/.installed: $(VENV)/.synced
	comm -23 <($(EXPORT) --only-group slurm | sort) <($(EXPORT) | sort) > $(TOOLS)/slurm-plugin.txt
	rm -rf $(SLURM_PLUGIN)
	$(UV) pip install --quiet --python $(BIN)/python --target $(SLURM_PLUGIN) --no-deps --compile-bytecode -r $(TOOLS)/slurm-plugin.txt
	@# The job-step plugin's srun command breaks in a folder whose path has a space (biomedimg.patches).
	$(BIN)/python -m biomedimg.patches $(SLURM_JOBSTEP)
	touch $@

# The workflow on a SLURM cluster, from a login node (profiles/slurm; tests/test_cluster.py runs this).
slurm: data $(SLURM_PLUGIN)/.installed
	PATH="$$(pwd)/$(BIN):$$PATH" PYTHONPATH="$$(pwd)/$(SLURM_PLUGIN):$$PYTHONPATH" $(BIN)/snakemake --workflow-profile profiles/slurm

# Restore the DVC-tracked raw data where a fresh checkout lacks it (from the remote kept in the
# repository; no network needed), never over an edit; one line says what it found and did.
data: setup
	@$(BIN)/python -m biomedimg.run.datasync

# Snakemake, after clearing a lock only a killed run left; Ctrl-C stops it with one line. Then DVC's
# record of the build (dvc.lock), so that `dvc status` agrees with Snakemake (dvc.yaml).
workflow: data
	@$(BIN)/python -m biomedimg.run.build
	@$(BIN)/python -m biomedimg.run.dvcrecord

# Rewrite a raw CSV saved by Excel into the conventions of data/README.md: make tidy FILE=data/raw/x.csv
tidy: setup
	@$(BIN)/python -m biomedimg.tools.tidy $${FILE:+"$$FILE"}

lint: setup
	$(BIN)/ruff check workflow tests
	$(BIN)/ruff format --check workflow tests
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint

# Browser tests need Debian's Chromium (Playwright drives it; it downloads no browser of its own).
# Cluster tests (tests/slurm_cluster.py) start a one-node SLURM cluster of their own from Debian's
# slurmctld, slurmd and munge, and build a small preload library with cc. Under systemd, installing
# them starts their services: those this step installed are stopped and disabled again. Each group is
# installed only if a program of it is missing, so a second run installs nothing.
TEST_DEBS_BROWSER := chromium fonts-noto-cjk
TEST_DEBS_CLUSTER := slurmctld slurmd slurm-client munge gcc libc6-dev
test-setup: setup $(SLURM_PLUGIN)/.installed
	@browser=""; cluster=""; \
	if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then browser="$(TEST_DEBS_BROWSER)"; fi; \
	for prog in slurmctld slurmd sbatch squeue srun munged cc; do \
	  command -v $$prog >/dev/null || PATH="$$PATH:/usr/sbin:/sbin" command -v $$prog >/dev/null || { cluster="$(TEST_DEBS_CLUSTER)"; break; }; \
	done; \
	if [ -n "$$browser$$cluster" ]; then \
	  new=""; for d in munged slurmd slurmctld; do PATH="$$PATH:/usr/sbin:/sbin" command -v $$d >/dev/null || new="$$new $${d/munged/munge}"; done; \
	  echo "Installing Debian packages for the browser and cluster tests: $$browser $$cluster"; \
	  $(SUDO) apt-get update -qq || exit 1; \
	  if [ -n "$$browser" ]; then DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$browser >/dev/null || exit 1; fi; \
	  if [ -n "$$cluster" ]; then DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$cluster >/dev/null || exit 1; fi; \
	  if [ -d /run/systemd/system ] && [ -n "$$new" ]; then $(SUDO) systemctl disable --now -q $$new || true; fi; \
	fi

# The unit tests only (tests/conftest.py marks each test unit or e2e): the end-to-end ones, which
# build the workflow, drive the browser or start a cluster, are left to `make test`.
check: lint data $(SLURM_PLUGIN)/.installed
	$(BIN)/pytest -q -m unit

# The whole suite (what CI runs via .ci/run), ending with its 25 slowest tests (where the time goes).
test: test-setup lint workflow
	$(BIN)/pytest -q --durations=25

bench: workflow
	$(BIN)/python -m biomedimg.tools.bench

# How long `make check` and `make test` take (one run each, timed; the slowest tests listed): written
# to its section of docs/benchmark.md.
bench-tests: workflow
	$(BIN)/python -m biomedimg.tools.testbench

# Review a data change: `make diff` compares the working tree's build with HEAD's (REV=<rev> for
# another revision, REV=<a> TO=<b> for two). The other side is built once in a throw-away git worktree
# under the user cache directory and reused while its files match the manifest kept with it.
# Writes results/diff/{diff.json,index.html,summary.md}.
diff: setup
	@$(BIN)/python -m biomedimg.run.datasync
	$(BIN)/python -m biomedimg.tools.diff --rev="$${REV:-HEAD}" $${TO:+--to="$$TO"}

# Reverse provenance: `make why FILE=data/raw/<name>.csv [ROW=<key>]` lists what depends on it.
why: setup
	@if [ -z "$$FILE" ]; then echo "usage: make why FILE=data/raw/<name>.csv [ROW=<key>]" >&2; exit 2; fi
	$(BIN)/python -m biomedimg.tools.why $${ROW:+--row="$$ROW"} -- "$$FILE"

# Only what the build recreates: results/metrics.json is committed (DVC metrics) and stays.
clean:
	[ ! -d results ] || find results -mindepth 1 -maxdepth 1 ! -name metrics.json -exec rm -rf {} +
	rm -rf logs book/_build book/generated .snakemake
