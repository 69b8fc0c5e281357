# Quick start: `make demo` (the main job on the shipped data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PIP_FLAGS ?= -q
TORCH_VERSION ?= 2.13.0
# llama-cpp-python is built from its sdist: no multimodal library, no -march=native (portable wheel).
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF
BASE ?=            # release: folder with the 16-bit base safetensors (bbj-train export --base)

BIN := $(VENV)/bin
LEGACY ?=          # optional: legacy ChatML JSONL to import, clean and add to the split
GPUS ?= 1          # make train GPUS=N: N data-parallel workers, one per GPU (accelerate launch, DDP)
FIM_RATE ?= 0.5    # share of Stage 1 documents turned into fill-in-the-middle samples (make data FIM_RATE=0 turns FIM off)
CORPUS_SOURCES ?=  # optional: folders of raw BBj source for the Stage 1 corpus

.PHONY: venv dev demo data test lint bench clean train converter release eval

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIP_FLAGS) --upgrade pip

# Curation only (no torch): `make venv` for experts who only review, lint and commit examples
# (pre-commit included: `.venv/bin/pre-commit install` runs the hooks through .venv/bin).
$(VENV)/.core: $(VENV)/bin/python pyproject.toml
	$(PIP) install $(PIP_FLAGS) -e '.[hooks]'
	touch $@

# The training stack (CPU torch pinned first, see below): what `make demo` and `make data` need.
$(VENV)/.train: $(VENV)/bin/python pyproject.toml
	$(PIP) install $(PIP_FLAGS) torch==$(TORCH_VERSION)
	$(PIP) install $(PIP_FLAGS) -e '.[train,eval]'
	touch $@

# Everything the tests need: dev tools, the CPU training stack (torch pinned first so pip takes
# the CPU build on local disk instead of a multi-GB CUDA build) and the export stack with its
# converter cache (llama-cpp-python builds once per machine, then pip's wheel cache serves it).
$(VENV)/.dev: $(VENV)/bin/python pyproject.toml
	$(PIP) install $(PIP_FLAGS) torch==$(TORCH_VERSION)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install $(PIP_FLAGS) -e '.[dev,train,mcp,export,eval]'
	$(BIN)/bbj-train fetch-converter
	touch $@

# The release stack alone (a GPU machine after `make train`).
$(VENV)/.export: $(VENV)/bin/python pyproject.toml
	$(PIP) install $(PIP_FLAGS) torch==$(TORCH_VERSION)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install $(PIP_FLAGS) -e '.[train,export]'
	touch $@

# llama.cpp's converter from the installed llama-cpp-python's sdist, cached for offline exports.
converter: $(VENV)/.export
	$(BIN)/bbj-train fetch-converter

venv: $(VENV)/.core
dev: $(VENV)/.dev

# Curated examples (+ optional legacy set and raw sources) -> build/split and build/corpus.
data: $(VENV)/.train
	$(BIN)/bbj-curate check training-data
	$(BIN)/bbj-train convert training-data --out build/examples
	$(if $(strip $(LEGACY)),$(BIN)/bbj-train import-chatml $(LEGACY) --out build/legacy)
	$(BIN)/bbj-train split build/examples $(if $(strip $(LEGACY)),build/legacy) --out build/split
	$(BIN)/bbj-train corpus $(CORPUS_SOURCES) --from-examples training-data --decontaminate build/split --fim-rate $(FIM_RATE) --out build/corpus/corpus.jsonl

# The whole path on CPU: check, convert, split, corpus, then Stage 1 and Stage 2 on a tiny
# random Qwen2 model built locally (no download), then a few-case eval of the model before and
# after (evals/tiny-*/report.md). A few minutes on two cores.
demo: data
	$(BIN)/bbj-train tiny-model --out build/tiny-model
	$(BIN)/bbj-train run --config configs/tiny.toml
	$(BIN)/bbj-train eval --config configs/eval-tiny.toml

test: $(VENV)/.dev
	$(VENV)/bin/pytest -n 2 --dist loadfile -q

# Lint and types, configured in pyproject.toml ([tool.ruff], [tool.mypy]); CI runs this after the tests.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Release training on a GPU machine: the data steps, then Stage 1 + Stage 2 of
# configs/qwen2.5-coder-14b.toml (unsloth when importable); see docs/training.md.
# The GPU stack, once (a stamp, as .train): torch pinned in the same pip call so unsloth and
# bitsandbytes cannot replace it; on a machine without an NVIDIA GPU it stops before installing.
$(VENV)/.gpu: $(VENV)/bin/python pyproject.toml
	@nvidia-smi -L >/dev/null 2>&1 || { echo "make train needs an NVIDIA GPU (nvidia-smi finds none); on CPU use make demo (configs/tiny.toml)" >&2; exit 2; }
	$(PIP) install $(PIP_FLAGS) torch==$(TORCH_VERSION) -e '.[train,gpu]'
	touch $@

train: $(VENV)/.gpu data
	$(BIN)/bbj-train run --config configs/qwen2.5-coder-14b.toml --gpus $(strip $(GPUS))

# After `make train`: base model vs the new adapter on the BBj benchmark + held-out test split,
# plus the HumanEval forgetting check -> evals/<name>-<time>/report.md (docs/evaluation.md).
EVAL_CONFIG ?= configs/eval-qwen2.5-coder-14b.toml
eval: $(VENV)/.train
	$(BIN)/bbj-train eval --config $(EVAL_CONFIG)

# After `make train`: merge + GGUF + Q4_K_M + verification + Modelfile + card into dist/ (docs/release.md).
release: converter
	$(BIN)/bbj-train export --config configs/qwen2.5-coder-14b.toml $(if $(strip $(BASE)),--base $(BASE))

bench: $(VENV)/.dev
	@echo "see docs/benchmarks.md for each benchmark's command"

clean:
	rm -rf $(VENV) .bbj-cache build dist *.egg-info
