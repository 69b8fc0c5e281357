"""Fixtures of the compile-check tests (helpers live in compile_helpers.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from compile_helpers import install_fake


@pytest.fixture
def fake_bbjcpl(tmp_path: Path) -> Path:
    return install_fake(tmp_path / "bbj" / "bin")


@pytest.fixture
def compiler_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[dict]]:
    """Every fake bbjcpl run of the test, in order (read from the file the fake appends to)."""
    log = tmp_path / "bbjcpl-runs.jsonl"
    monkeypatch.setenv("FAKE_BBJCPL_LOG", str(log))

    def runs() -> list[dict]:
        return [json.loads(line) for line in log.read_text("utf-8").splitlines()] if log.exists() else []

    return runs


@pytest.fixture
def bad_lines(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], None]:
    def set_bad(lines: list[str]) -> None:
        monkeypatch.setenv("FAKE_BBJCPL_BAD", json.dumps(lines))

    return set_bad


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real BBj install or PATH entry leaks into discovery; the fake behaves normally."""
    monkeypatch.delenv("BBJ_HOME", raising=False)
    monkeypatch.delenv("FAKE_BBJCPL_MODE", raising=False)
    monkeypatch.delenv("FAKE_BBJCPL_BAD", raising=False)
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not (Path(p) / "bbjcpl").exists()))
