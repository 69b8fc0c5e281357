"""Shared parts of the MCP server tests: the BBj programs, settings that never touch the user's
environment, and a helper that runs one async client session."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest

from bbj_mcp.config import McpSettings

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PASS_PROGRAM = (HERE / "button_pass.bbj").read_text("utf-8")
FAIL_PROGRAM = (HERE / "button_fail.bbj").read_text("utf-8")
T = TypeVar("T")

# the compile tests' fake bbjcpl and the eval tests' scripted OpenAI-compatible server
sys.path.insert(0, str(HERE.parent / "compile"))
sys.path.insert(0, str(HERE.parent / "eval"))


def line_of(program: str, text: str) -> int:
    """1-based line holding `text` (so the tests never hard-code line numbers)."""
    return next(n for n, line in enumerate(program.splitlines(), 1) if text in line)


def run(session: Callable[[], Awaitable[T]]) -> T:
    return anyio.run(session)


@pytest.fixture
def settings(tmp_path: Path) -> McpSettings:
    """The built-in checker (deterministic wherever the tests run) and an empty project."""
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    return McpSettings(project=tmp_path, checker="builtin", examples=tmp_path / "training-data")


def structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data: dict[str, Any] = result.structured_content
    return data
