# Quick start: `make demo` (the main job on the shipped data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PIP_FLAGS ?= -q
TORCH_VERSION ?= 2.13.0

.PHONY: venv dev demo test lint-data bench clean train

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIP_FLAGS) --upgrade pip

# Curation only: no torch. Used by `make demo`'s first steps and by the hooks.
$(VENV)/.core: $(VENV)/bin/python pyproject.toml
	$(PIP) install $(PIP_FLAGS) -e .
	touch $@

# Everything the tests need: dev tools plus the CPU training stack (torch pinned first so
# pip takes the CPU build on local disk instead of a multi-GB CUDA build).
$(VENV)/.dev: $(VENV)/bin/python pyproject.toml
	$(PIP) install $(PIP_FLAGS) torch==$(TORCH_VERSION)
	$(PIP) install $(PIP_FLAGS) -e '.[dev,train]'
	touch $@

venv: $(VENV)/.core
dev: $(VENV)/.dev

demo: $(VENV)/.core
	$(VENV)/bin/bbj-curate check training-data

test: $(VENV)/.dev
	$(VENV)/bin/pytest -n 2 --dist loadfile -q

# Release training on a GPU machine: Stage 1 + Stage 2 of configs/qwen2.5-coder-14b.toml, reading
# build/corpus/corpus.jsonl and build/split/ (the data commands' outputs); see docs/training.md.
train: $(VENV)/.dev
	$(PIP) install $(PIP_FLAGS) -e '.[train,gpu]'
	$(VENV)/bin/bbj-train run --config configs/qwen2.5-coder-14b.toml

bench: $(VENV)/.dev
	@echo "see docs/benchmarks.md for each benchmark's command"

clean:
	rm -rf $(VENV) .bbj-cache build dist *.egg-info
