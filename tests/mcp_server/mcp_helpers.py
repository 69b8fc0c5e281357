"""Shared parts of the MCP server tests: the BBj programs and small helpers."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio

HERE = Path(__file__).resolve().parent
PASS_PROGRAM = (HERE / "button_pass.bbj").read_text("utf-8")
FAIL_PROGRAM = (HERE / "button_fail.bbj").read_text("utf-8")
T = TypeVar("T")


def line_of(program: str, text: str) -> int:
    """1-based line holding `text` (so the tests never hard-code line numbers)."""
    return next(n for n, line in enumerate(program.splitlines(), 1) if text in line)


def run(session: Callable[[], Awaitable[T]]) -> T:
    return anyio.run(session)


def structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data: dict[str, Any] = result.structured_content
    return data


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (for the HTTP server, or as an endpoint that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
