"""The Makefile's promises, run through real make: `make train` refuses a machine without an
NVIDIA GPU before installing anything, and `make data` builds the corpus with FIM on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args: str, path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "-C", str(REPO), *args], capture_output=True, text=True, env={**os.environ, "PATH": path}, timeout=60)


def test_gpu_stack_is_refused_without_a_gpu_before_anything_is_installed(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    bare_path = f"{tmp_path / 'nobin'}:/usr/bin:/bin"  # no nvidia-smi on this machine's PATH
    assert shutil.which("nvidia-smi", path=bare_path) is None
    done = make(f"VENV={venv}", f"{venv}/.gpu", path=bare_path)
    assert done.returncode != 0 and "make train needs an NVIDIA GPU" in done.stderr
    assert "pip install" not in done.stdout and not (venv / ".gpu").exists()


def test_gpu_stack_is_installed_once_with_torch_pinned_in_the_same_call(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "nvidia-smi").write_text("#!/bin/sh\necho 'GPU 0: fake'\n", "utf-8")
    (fake / "nvidia-smi").chmod(0o755)
    venv = tmp_path / "venv"
    done = make("-n", f"VENV={venv}", f"{venv}/.gpu", path=f"{fake}:/usr/bin:/bin")
    installs = [line for line in done.stdout.splitlines() if "pip install" in line and ".[train,gpu]" in line]
    assert len(installs) == 1 and "torch==" in installs[0], done.stdout
    assert f"touch {venv}/.gpu" in done.stdout
    dry_train = make("-n", f"VENV={venv}", "train", path=f"{fake}:/usr/bin:/bin").stdout
    assert dry_train.index(f"touch {venv}/.gpu") < dry_train.index("bbj-train run")


def test_make_data_turns_fim_on_by_default() -> None:
    dry = make("-n", "data", "VENV=.venv", path=os.environ["PATH"]).stdout
    corpus = next(line for line in dry.splitlines() if "bbj-train corpus" in line)
    rate = float(corpus.split("--fim-rate", 1)[1].split()[0])
    assert 0 < rate <= 1
