"""End to end: `generate_bbj_code` (the MCP server in-process, through the SDK's client) against
the tiny trained model served by `bbj-train serve` on 127.0.0.1: retrieval, the training-format
prompt, the real OpenAI-compatible server, extraction, the check and the repair rounds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from release_helpers import NAME, QUESTION, served

pytestmark = pytest.mark.usefixtures("export_stack")
pytest.importorskip("mcp", reason="the MCP test needs the [mcp] extra")


def test_generate_bbj_code_against_the_served_tiny_model(release: Path, tmp_path: Path) -> None:
    from mcp import Client

    from bbj_mcp.config import McpSettings
    from bbj_mcp.server import build_server

    (tmp_path / "pyproject.toml").write_text('[tool.bbj-curate]\nchecker = "builtin"\n', "utf-8")
    example = tmp_path / "training-data" / "strings" / "print-ok.md"
    example.parent.mkdir(parents=True)
    example.write_text(
        '---\ntitle: Print OK\ntype: completion\ngeneration: all\nstatus: approved\n---\n\n## Code\n\n```bbj\nPRINT "OK"\n```\n\n'
        "## Explanation\n\nPRINT writes to the terminal.\n",
        "utf-8",
    )
    # the release's context is its training length (64 tokens); the MCP prompt (system prompt,
    # references) needs more, as it will with a real model's 4,096
    with served(release, tmp_path / "server.log", "--n-ctx", "2048") as base_url:
        settings = McpSettings(base_url=base_url, model=NAME, project=tmp_path, max_tokens=48, request_timeout_s=60, generate_timeout_s=170)

        async def session() -> Any:
            async with Client(build_server(settings)) as client:
                return await client.call_tool("generate_bbj_code", {"prompt": QUESTION, "generation": "all", "max_attempts": 2})

        result = anyio.run(session)
    assert not result.is_error, result.content
    data = result.structured_content
    assert data["model"] == NAME and data["retrieved"][0] == "strings/print-ok"
    assert 1 <= data["attempts"] <= 2
    # whatever a 1.3M-parameter model says, the tool reports it truthfully: passing code, or
    # the findings on the code it returns (or no code at all)
    if data["ok"]:
        assert data["code"].strip() and not [d for d in data["diagnostics"] if d["severity"] == "error"]
    else:
        assert data["attempts"] == 2 and (data["diagnostics"] or not data["code"])
