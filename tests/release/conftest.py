"""Release tests: offline (HF offline flags, every socket connection to the internet refused in
this process), one export test model + one real training run + one export per session."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the release tests need the [train] extra")
pytest.importorskip("peft", reason="the release tests need the [train] extra")

from release_helpers import KL_BOUND, NAME, build_export_model, guarded_env, train_run, write_data

REPO = Path(__file__).resolve().parents[2]


def _missing_export_stack() -> str | None:
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("gguf") is None:
        return "llama-cpp-python / gguf not installed (pip install -e '.[export]')"
    from train.release import converter
    from train.training.errors import TrainingError

    try:
        converter.locate(None)
    except TrainingError as exc:
        return str(exc)
    return None


@pytest.fixture(scope="session")
def export_stack() -> None:
    """Skip (fail under CI=true) when the export extra or the converter cache is missing."""
    missing = _missing_export_stack()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the export tests: {missing} (make dev installs them)")
        pytest.skip(missing)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, "1")
    real_connect = socket.socket.connect

    def refuse(self: socket.socket, address: object, *args: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network connection attempted: {address!r}")
        return real_connect(self, address, *args)

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="session")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory, data: dict[str, Path]) -> Path:
    return build_export_model(tmp_path_factory.mktemp("base") / "base", data["corpus"])


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory: pytest.TempPathFactory, base: Path, data: dict[str, Path]) -> Path:
    return train_run(tmp_path_factory.mktemp("train"), base, data["split"])


@pytest.fixture(scope="session")
def export_guard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of the `release` export's records: `imports.log` (import_guard/sitecustomize.py) and
    `stderr` (what the user saw)."""
    return tmp_path_factory.mktemp("export-guard")


@pytest.fixture(scope="session")
def release(trained_run: Path, tmp_path_factory: pytest.TempPathFactory, export_stack: None, export_guard: Path) -> Path:
    """One real export of the trained run (Q4_K_M and Q8_0, the 16-bit file kept), shared by the
    export tests and the end-to-end MCP test: `bbj-train export` in a subprocess under the import
    guard (the export refuses llama_cpp, its llama.cpp process torch and transformers)."""
    out = tmp_path_factory.mktemp("dist")
    argv = [sys.executable, "-m", "train.cli", "export", "--run", str(trained_run), "--out", str(out), "--name", NAME,
            "--quant", "Q4_K_M", "--quant", "Q8_0", "--keep-f16", "--kl-bound", str(KL_BOUND),
            "--eval-cases", "2", "--eval-suite", str(REPO / "benchmark" / "bbj-bench-v1.jsonl")]  # fmt: skip
    done = subprocess.run(argv, cwd=REPO, env=guarded_env(export_guard / "imports.log"), capture_output=True, text=True, check=False)
    (export_guard / "stderr").write_text(done.stderr, "utf-8")
    assert done.returncode == 0, done.stderr[-3000:]
    return out / NAME
