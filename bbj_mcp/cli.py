"""`bbj-mcp`: run the server. stdio by default (what Claude Desktop, Claude Code, VS Code and
Cursor start); `--http` serves Streamable HTTP on 127.0.0.1 only. Flags override `BBJ_MCP_*`
environment variables. Usage errors exit 2 with one line on stderr; stdout is the protocol."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bbj_mcp.config import (
    DEFAULT_BASE_URL,
    DEFAULT_MODEL,
    McpSettings,
    SettingsError,
    from_environment,
    validate,
)

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bbj-mcp", description="MCP server: check_bbj_code, generate_bbj_code, lookup_bbj_api.")
    p.add_argument("--http", action="store_true", help="serve Streamable HTTP (at /mcp) instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="HTTP host; loopback only (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    p.add_argument("--base-url", help=f"OpenAI-compatible endpoint of the model (default {DEFAULT_BASE_URL}, Ollama)")
    p.add_argument("--model", help=f"model name at that endpoint (default {DEFAULT_MODEL})")
    p.add_argument("--project", type=Path, help="repository whose [tool.bbj-curate] config and examples to use (default: .)")
    p.add_argument("--examples", type=Path, help="folder of curated examples to retrieve from (default: the project's data root)")
    p.add_argument("--checker", choices=("auto", "builtin", "bbjcpl"), help="compile checker (default auto: bbjcpl when found)")
    p.add_argument("--max-input-bytes", type=int, help="largest text argument accepted (default 100000)")
    p.add_argument("--generate-timeout", type=float, dest="generate_timeout_s", help="seconds per generate_bbj_code call (default 180)")
    p.add_argument("--request-timeout", type=float, dest="request_timeout_s", help="seconds per model request (default 60)")
    p.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"), help="stderr log level")
    return p


def settings_from(args: argparse.Namespace) -> McpSettings:
    settings = from_environment().with_changes(
        base_url=args.base_url,
        model=args.model,
        project=args.project,
        examples=args.examples,
        checker=args.checker,
        max_input_bytes=args.max_input_bytes,
        generate_timeout_s=args.generate_timeout_s,
        request_timeout_s=args.request_timeout_s,
    )
    validate(settings)
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr, format="bbj-mcp %(levelname)s %(name)s: %(message)s")
    from curate.errors import CurateError

    try:
        settings = settings_from(args)
        if args.http and not _is_loopback(args.host):
            raise SettingsError(f"--host {args.host}: the server binds to loopback only (127.0.0.1, localhost or ::1)")
        check_project(settings)
    except (SettingsError, CurateError) as exc:
        for line in str(exc).splitlines():
            print(f"bbj-mcp: error: {line}", file=sys.stderr)
        return 2
    from bbj_mcp.server import build_server

    server = build_server(settings)
    try:
        if args.http:
            server.run("streamable-http", host=args.host, port=args.port)
        else:
            server.run()
    except KeyboardInterrupt:
        return 0
    return 0


def check_project(settings: McpSettings) -> None:
    """Refuse to start on a broken project config, or on `--checker bbjcpl` without a bbjcpl,
    rather than failing every later call (both raise CurateError with the file or the places
    looked at)."""
    from curate.config import load_config

    config = load_config([settings.project])
    if settings.checker == "bbjcpl":
        from curate.compile import select_checker

        select_checker(config, "bbjcpl")


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
