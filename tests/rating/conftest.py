"""Fixtures for the rating tests; helpers are in rating_helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from rating_helpers import write_run


@pytest.fixture
def eval_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An eval run folder under tmp/evals; the working directory is tmp."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return write_run(tmp_path)
