"""The README's contributor setup, checked against the repository: `make venv` installs
pre-commit, and the consumer snippet pins a commit that exists. (The hooks running without an
activated venv are tested by a real commit in tests/hooks/test_hooks_gate.py; the setup itself,
`make venv` in a fresh clone and commits through the installed hooks, runs for real in CI's
`.ci/contributor-setup`, its own step: about 4 minutes, too slow for `make test`.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_make_venv_installs_pre_commit(tmp_path: Path) -> None:
    """Hole: `make venv` then `.venv/bin/pre-commit install` -> no such file."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "-B", "venv", f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60).stdout
    extras = re.findall(r"pip install .*-e '?\.\[([a-z,]+)\]'?", plan)
    assert extras, plan
    optional = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    installed = [dep for extra in extras[0].split(",") for dep in optional[extra]]
    assert any(dep.startswith("pre-commit") for dep in installed)
    assert "torch" not in plan, "make venv stays the curation-only environment"


def test_repository_hooks_use_the_project_venv() -> None:
    config = (ROOT / ".pre-commit-config.yaml").read_text("utf-8")
    assert re.findall(r"entry: (\S+)", config) == [f".venv/bin/bbj-{hook}" for hook in ("validate", "lint", "compile", "dedupe")]


def test_consumer_snippet_pins_a_commit_that_exists() -> None:
    """Hole: the README's snippet pinned `rev: v0.1.0`, a tag that did not exist."""
    readme = (ROOT / "README.md").read_text("utf-8")
    revs = re.findall(r"^\s+rev: (\S+)", readme, re.MULTILINE)
    assert revs
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the pinned commit cannot be looked up")
    for rev in revs:
        found = subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True, check=False, timeout=30)
        assert found.returncode == 0, f"README pins {rev}, which is not a commit of this repository"
    assert "files:" in readme.split("autoupdate --freeze", 1)[1], "a line on overriding files:"


def test_ci_runs_the_contributor_setup_for_real() -> None:
    """`make venv` was only planned (`make -n`): CI runs it in a fresh clone, then commits."""
    run = (ROOT / ".ci" / "run").read_text("utf-8")
    script = ROOT / ".ci" / "contributor-setup"
    assert re.search(r"^\.ci/contributor-setup$", run, re.MULTILINE) and os.access(script, os.X_OK)
    text = script.read_text("utf-8")
    assert "git clone" in text and "\nmake venv\n" in text and ".venv/bin/pre-commit install" in text
    if shutil.which("bash"):
        assert subprocess.run(["bash", "-n", str(script)], capture_output=True, timeout=30, check=False).returncode == 0
