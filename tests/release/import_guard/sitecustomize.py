"""Import guard of the export tests: the `release` fixture puts this folder on PYTHONPATH of its
`bbj-train export` subprocess, so every Python process of that export imports it at start-up
(as `sitecustomize`), the llama.cpp child and the converter subprocess included.

- The llama.cpp process (`python -m train.release.llama_steps`) refuses torch and transformers,
  and logs numpy imported before llama_cpp (`train.llamacpp_first`).
- Every other process refuses llama_cpp.

Each process appends `<role> <pid>` to $BBJ_IMPORT_GUARD_LOG when it starts and `refused <role>
<module>` for every refused import, so a test sees that the guard ran in both roles and that
nothing was refused (an `except ImportError` that swallowed a refusal included).
With BBJ_IMPORT_GUARD_CRASH=1 the llama.cpp process kills itself with SIGSEGV when its quantize
step calls llama.cpp: what a CUDA llama.cpp did on its first model load in a process that had
imported torch, or numpy before llama_cpp."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType

LOG = os.environ.get("BBJ_IMPORT_GUARD_LOG")
LLAMA_PROCESS = "train.release.llama_steps" in sys.orig_argv
ROLE = "llama" if LLAMA_PROCESS else "export"
REFUSED = ("torch", "transformers") if LLAMA_PROCESS else ("llama_cpp",)


def _log(line: str) -> None:
    if LOG:
        with open(LOG, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


class ImportGuard:
    def find_spec(self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None) -> ModuleSpec | None:
        top = name.partition(".")[0]
        if top in REFUSED:
            _log(f"refused {ROLE} {name}")
            raise ImportError(f"import guard: the {ROLE} process must not import {name}")
        if LLAMA_PROCESS and name == "numpy" and "llama_cpp" not in sys.modules:
            _log(f"refused {ROLE} numpy before llama_cpp")  # the order that crashed on the GPU image
        if LLAMA_PROCESS and name == "train.release.quantize" and os.environ.get("BBJ_IMPORT_GUARD_CRASH") == "1":
            return _crashing_quantize(name, path)
        return None


def _crashing_quantize(name: str, path: Sequence[str] | None) -> ModuleSpec | None:
    """The quantize module, whose `quantize` kills the process with SIGSEGV when the step calls it."""
    spec = PathFinder.find_spec(name, path)
    if spec is None or spec.loader is None:
        return spec
    load = spec.loader.exec_module

    def exec_module(module: ModuleType) -> None:
        load(module)
        module.quantize = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGSEGV)  # type: ignore[attr-defined]

    spec.loader.exec_module = exec_module  # type: ignore[method-assign]
    return spec


if LOG:
    sys.meta_path.insert(0, ImportGuard())
    _log(f"{ROLE} {os.getpid()}")
