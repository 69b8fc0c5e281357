"""The MCP server tests need the `mcp` extra: without it they are skipped with the reason (and
fail under CI=true, which installs every extra). Helpers live in mcp_helpers.py."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
# the compile tests' fake bbjcpl and the eval tests' scripted OpenAI-compatible server
sys.path.insert(0, str(HERE.parent / "compile"))
sys.path.insert(0, str(HERE.parent / "eval"))

MISSING = [name for name in ("mcp", "bm25s") if importlib.util.find_spec(name) is None]
if MISSING:
    message = f"the mcp extra is not installed ({', '.join(MISSING)} missing): pip install -e '.[mcp]'"
    if os.environ.get("CI") == "true":
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    """The built-in checker (deterministic wherever the tests run) and an empty project."""
    from bbj_mcp.config import McpSettings

    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    return McpSettings(project=tmp_path, checker="builtin", examples=tmp_path / "training-data")
