"""The MCP server: three tools over the official SDK's `MCPServer` (stdio by default, Streamable
HTTP on 127.0.0.1 as an option).

Every tool call is bounded: text arguments over `max_input_bytes` are refused, the work runs in a
worker thread under a wall-clock limit, and anything that goes wrong comes back as a tool error
(`is_error`, a one-line message naming the cause), never as a hang or a traceback on the
protocol stream. Logs go to stderr. Heavy modules (the checker, bm25s, the model client) load on
first use, so the server answers `initialize` as soon as the SDK is imported."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import anyio
from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from bbj_mcp.config import McpSettings
from bbj_mcp.results import ApiLookup, CheckResult, GenerateResult, Generation

log = logging.getLogger("bbj_mcp")
T = TypeVar("T")

INSTRUCTIONS = (
    "BBj (BASIS Business BASIC) tools. Call check_bbj_code on any BBj you write or are given before "
    "presenting it; call lookup_bbj_api before calling a method on a BBj object you are unsure of; "
    "generate_bbj_code asks the locally served fine-tuned model and returns checked code."
)


class Toolbox:
    """The tools' state, built on first use (thread-safe): the checker, the retriever and the
    generator. Tests and benchmarks pass their own parts."""

    def __init__(self, settings: McpSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._checker: Any = None
        self._generator: Any = None

    def checker(self) -> Any:
        with self._lock:
            if self._checker is None:
                from bbj_mcp.check import CodeChecker
                from curate.config import load_config

                self._checker = CodeChecker(load_config([self.settings.project]), self.settings.checker)
                log.info("check_bbj_code uses %s", self._checker.checker.describe())
            return self._checker

    def generator(self) -> Any:
        checker = self.checker()
        with self._lock:
            if self._generator is None:
                from bbj_mcp.generate import Generator

                self._generator = Generator.from_settings(self.settings, checker)
            return self._generator


def _limit_size(name: str, text: str | None, settings: McpSettings) -> None:
    if text is None:
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > settings.max_input_bytes:
        raise ToolError(f"{name} is {size:,} bytes; the limit is {settings.max_input_bytes:,} bytes (setting max_input_bytes)")


async def _bounded(work: Callable[[], T], seconds: float, what: str, why: str = "") -> T:
    """Run blocking work in a thread under a wall-clock limit. On time-out the caller gets a tool
    error at once; the thread is abandoned (the model client's own timeouts end it)."""
    try:
        with anyio.fail_after(seconds):
            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    except TimeoutError:
        raise ToolError(f"{what} did not finish within {seconds:g} s{why}") from None
    except ToolError:
        raise
    except Exception as exc:  # a tool error with the cause, never a traceback in the stream
        log.exception("%s failed", what)
        raise ToolError(f"{what} failed: {exc.__class__.__name__}: {exc}") from None


def build_server(settings: McpSettings, toolbox: Toolbox | None = None) -> MCPServer:
    """The server with its three tools; `toolbox` lets tests inject parts."""
    box = toolbox or Toolbox(settings)
    server = MCPServer("bbj", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(annotations=ToolAnnotations(title="Check BBj code", read_only_hint=True, idempotent_hint=True, open_world_hint=False))
    async def check_bbj_code(
        code: Annotated[str, Field(description="BBj source code (a program or a fragment)")],
        generation: Annotated[Generation | None, Field(description="target UI generation: adds findings for APIs it lacks")] = None,
    ) -> CheckResult:
        """Check BBj code with BASIS's compiler (bbjcpl) when installed, else the toolkit's
        built-in checker: syntax errors, constructs borrowed from JavaScript/Java/VB/Python
        (BBJ510), methods a BBj class does not have (BBJ511), and, with a generation, APIs that
        generation cannot run. Deterministic; ok is true when no finding is an error."""
        _limit_size("code", code, settings)
        return await _bounded(lambda: box.checker().check(code, generation), settings.check_timeout_s, "check_bbj_code")

    @server.tool(annotations=ToolAnnotations(title="Generate BBj code", read_only_hint=True, open_world_hint=False))
    async def generate_bbj_code(
        prompt: Annotated[str, Field(description="what the code should do, in plain words")],
        generation: Annotated[Generation, Field(description="target UI generation; 'all' for portable code")],
        context: Annotated[str | None, Field(description="surrounding code the answer must fit into")] = None,
        max_attempts: Annotated[int, Field(ge=1, description="model calls at most: 1 draft, then repairs")] = 3,
    ) -> GenerateResult:
        """Generate BBj with the locally served fine-tuned model: retrieves curated examples of
        the generation, prompts in the training format, checks the code and sends the findings
        back for a fix until it passes or max_attempts is reached. ok says whether the returned
        code passed the check; never returns failing code without its diagnostics."""
        _limit_size("prompt", prompt, settings)
        _limit_size("context", context, settings)
        if max_attempts > settings.max_attempts_limit:
            raise ToolError(f"max_attempts is {max_attempts}; the limit is {settings.max_attempts_limit} (setting max_attempts_limit)")
        return await _bounded(
            lambda: box.generator().generate(prompt, generation, context, max_attempts),
            settings.generate_timeout_s,
            "generate_bbj_code",
            f": the model at {settings.base_url} (model {settings.model}) answers too slowly (setting generate_timeout_s)",
        )

    @server.tool(annotations=ToolAnnotations(title="Look up a BBj class", read_only_hint=True, idempotent_hint=True, open_world_hint=False))
    async def lookup_bbj_api(
        class_name: Annotated[str, Field(description="a BBj class, e.g. BBjButton (case-insensitive)")],
        method: Annotated[str | None, Field(description="a method to check, e.g. setCallback")] = None,
    ) -> ApiLookup:
        """The methods of a BBj API class, including inherited ones (with the class declaring
        each), from the API data the checker uses; with method, whether the class has it and
        close names if not."""
        _limit_size("class_name", class_name, settings)
        _limit_size("method", method, settings)
        from bbj_mcp.api_lookup import lookup

        return await _bounded(lambda: lookup(class_name, method), settings.check_timeout_s, "lookup_bbj_api")

    return server
