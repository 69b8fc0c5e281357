"""The server as a real subprocess: one stdio round-trip (what Claude Desktop, VS Code and
Cursor do), Streamable HTTP on 127.0.0.1, refusal of non-loopback hosts, and no torch or
transformers on the server's import path."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp_helpers import FAIL_PROGRAM, free_port, line_of, run, structured


def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    return tmp_path


def test_stdio_round_trip_with_the_server_as_a_subprocess(tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "bbj_mcp", "--checker", "builtin", "--project", str(project(tmp_path)), "--log-level", "INFO"],
    )

    async def session() -> tuple[Any, Any]:
        async with Client(params) as client:
            tools = await client.list_tools()
            return tools, await client.call_tool("check_bbj_code", {"code": FAIL_PROGRAM})

    tools, result = run(session)
    assert {tool.name for tool in tools.tools} == {"check_bbj_code", "generate_bbj_code", "lookup_bbj_api"}
    data = structured(result)
    assert [(d["line"], d["code"]) for d in data["diagnostics"]] == [
        (line_of(FAIL_PROGRAM, "addEventListener"), "BBJ511"),
        (line_of(FAIL_PROGRAM, "alert("), "BBJ510"),
    ]


def test_streamable_http_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "bbj_mcp", "--http", "--port", str(port), "--checker", "builtin", "--project", str(project(tmp_path))]
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                time.sleep(0.1)

        async def session() -> Any:
            async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                return await client.call_tool("lookup_bbj_api", {"class_name": "BBjWindow", "method": "addButton"})

        assert structured(run(session))["has_method"] is True
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server.stdout is not None and server.stdout.read() == b""  # logs never go to stdout


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])
def test_http_refuses_hosts_other_than_loopback(host: str) -> None:
    done = subprocess.run([sys.executable, "-m", "bbj_mcp", "--http", "--host", host], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "loopback only" in done.stderr and "Traceback" not in done.stderr


def test_bad_setting_from_the_environment_is_one_line_exit_2() -> None:
    env = {"PATH": "/usr/bin:/bin", "BBJ_MCP_MAX_INPUT_BYTES": "lots"}
    done = subprocess.run([sys.executable, "-m", "bbj_mcp"], check=False, capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr.strip() == "bbj-mcp: error: BBJ_MCP_MAX_INPUT_BYTES='lots' is not a valid int"


def test_server_path_never_imports_torch_or_transformers(tmp_path: Path) -> None:
    """Build the server, run every tool once in-process (generate against a closed port), and
    look at sys.modules: the curation path stays light."""
    script = f"""
import sys, anyio
from mcp import Client
from bbj_mcp.config import McpSettings
from bbj_mcp.server import build_server
settings = McpSettings(project={str(project(tmp_path))!r}, checker="builtin", base_url="http://127.0.0.1:{free_port()}/v1", request_timeout_s=2)
async def main():
    async with Client(build_server(settings)) as client:
        await client.call_tool("check_bbj_code", {{"code": "print 1", "generation": "all"}})
        await client.call_tool("lookup_bbj_api", {{"class_name": "BBjButton"}})
        await client.call_tool("generate_bbj_code", {{"prompt": "print hello", "generation": "all"}})
anyio.run(main)
heavy = [m for m in ("torch", "transformers", "peft", "trl", "accelerate") if m in sys.modules]
print(heavy)
sys.exit(1 if heavy else 0)
"""
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("config", "arguments", "expected"),
    [
        ("[tool.bbj-curate]\nchecker = 3\n", [], "checker"),
        ("[tool.bbj-curate]\n", ["--checker", "bbjcpl"], "bbjcpl not found"),
    ],
    ids=["bad-config", "bbjcpl-missing"],
)
def test_refuses_to_start_on_a_project_it_cannot_check(tmp_path: Path, config: str, arguments: list[str], expected: str) -> None:
    (tmp_path / "pyproject.toml").write_text(config, "utf-8")
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "bbj_mcp", "--project", str(tmp_path), *arguments],
        check=False, capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("bbj-mcp: error: ") and expected in done.stderr and "Traceback" not in done.stderr
