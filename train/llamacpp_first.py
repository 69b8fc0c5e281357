"""The import order a CUDA build of llama-cpp-python needs: `llama_cpp` before numpy.

On the GPU image of the benchmarks (torch 2.11 cu130, numpy with scipy-openblas64, a CUDA build of
llama-cpp-python 0.3.36), a process that had imported numpy first died with SIGSEGV on its first
model load; `llama_cpp` first, then numpy, gguf or yaml, worked (bisected there; docs/release.md).
Torch after `llama_cpp` still aborts ("free(): invalid pointer"), so a process that loads llama.cpp
models never imports torch either: the export's llama.cpp steps run in a process of their own.
Every process that will load a model with llama.cpp calls `load_llama_cpp_first` before anything
that imports numpy."""

from __future__ import annotations

import contextlib


def load_llama_cpp_first() -> None:
    """Import llama_cpp now, when it is installed; a missing one is left to the step that needs
    it, which reports it with its own code."""
    with contextlib.suppress(ImportError):
        import llama_cpp  # noqa: F401
