"""Fixtures for the review TUI tests; helpers are in tui_helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import write_data


@pytest.fixture
def review_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example set under tmp/training-data; the working directory is tmp (relative paths)."""
    write_data(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return tmp_path
