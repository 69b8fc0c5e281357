"""An eval with a `llamacpp` model imports llama_cpp before anything imports numpy: a CUDA build
loaded after numpy crashed on the GPU image (train/llamacpp_first.py). Checked in a fresh process,
where the first import of each module can be seen."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from eval_helpers import eval_toml

RECORD_ORDER = """
import json, sys
from pathlib import Path
order = []
class Recorder:
    def find_spec(self, name, path=None, target=None):
        if name in ("numpy", "llama_cpp") and name not in order:
            order.append(name)
        return None
sys.meta_path.insert(0, Recorder())
from train.eval.config import load_eval_config
from train.eval.session import run_eval
config, text = load_eval_config(Path(sys.argv[1]))
try:
    run_eval(config, text, "bbj-train eval")
except Exception as exc:  # the GGUF does not exist: the run stops at the backend
    print(type(exc).__name__, file=sys.stderr)
print(json.dumps(order))
"""


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None, reason="needs llama-cpp-python (the export extra)")
@pytest.mark.parametrize("backend", ["llamacpp", "openai"])
def test_llama_cpp_is_imported_before_numpy_when_a_model_needs_it(tmp_path: Path, case_file: Path, backend: str) -> None:
    text = eval_toml(case_file, "http://127.0.0.1:9/v1", tmp_path / "evals")
    if backend == "llamacpp":
        text = text.replace('backend = "openai"', f'backend = "llamacpp"\ngguf = "{(tmp_path / "missing.gguf").as_posix()}"')
    (tmp_path / "eval.toml").write_text(text, "utf-8")
    done = subprocess.run([sys.executable, "-c", RECORD_ORDER, str(tmp_path / "eval.toml")], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    order = json.loads(done.stdout.strip().splitlines()[-1])
    if backend == "llamacpp":
        assert order[:1] == ["llama_cpp"], done.stderr
    else:
        assert "llama_cpp" not in order  # nobody else pays for loading llama.cpp
