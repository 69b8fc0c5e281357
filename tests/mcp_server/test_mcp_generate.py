"""`generate_bbj_code` against a scripted OpenAI-compatible server on 127.0.0.1: the draft fails
the check, the repair passes; the endpoint down or too slow is a tool error within the limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from mcp import Client
from mcp_helpers import FAIL_PROGRAM, PASS_PROGRAM, free_port, line_of, run, structured
from openai_server import Reply, ScriptedServer, scripted_server

from bbj_mcp.config import McpSettings
from bbj_mcp.server import build_server


@dataclass
class Script:
    replies: list[str]
    delay_s: float = 0.0
    calls: int = 0

    def __call__(self, body: dict[str, Any]) -> Reply:
        self.calls += 1
        return Reply(self.replies[min(self.calls, len(self.replies)) - 1], delay_s=self.delay_s)


@pytest.fixture
def fake_model() -> Iterator[tuple[Script, ScriptedServer]]:
    """The eval tests' scripted OpenAI-compatible server; `script.replies` are answered in
    order (the last one repeats), each after `script.delay_s`."""
    script = Script([])
    with scripted_server(script) as server:
        yield script, server


@pytest.fixture
def examples(settings: McpSettings) -> McpSettings:
    """Two curated examples: one for BBj GUI, one for character mode."""
    assert settings.examples is not None
    for name, generation, code in (
        ("gui-button", "bbj-gui", PASS_PROGRAM),
        ("character-menu", "character", 'print @(10,5),"Main menu"\ninput @(10,7),choice$'),
    ):
        path = settings.examples / "gui" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: {name} with a push button greeting\ntype: completion\ngeneration: {generation}\nstatus: approved\n---\n\n"
            f"## Code\n\n```bbj\n{code}\n```\n\n## Explanation\n\nA push button greeting.\n",
            "utf-8",
        )
    return settings


def generate(settings: McpSettings, arguments: dict[str, Any]) -> Any:
    async def session() -> Any:
        async with Client(build_server(settings)) as client:
            return await client.call_tool("generate_bbj_code", arguments)

    return run(session)


def fenced(code: str) -> str:
    return f"Here is the program:\n\n```bbj\n{code}```\n\nIt opens a window."


def test_failing_draft_is_repaired_on_the_second_attempt(fake_model: tuple[Script, ScriptedServer], examples: McpSettings) -> None:
    script, server = fake_model
    url = server.base_url
    script.replies = [fenced(FAIL_PROGRAM), fenced(PASS_PROGRAM)]
    settings = examples.with_changes(base_url=url, model="bbj-coder-test")
    result = structured(generate(settings, {"prompt": "A window with a push button that greets the user", "generation": "bbj-gui"}))
    assert result["attempts"] == 2
    assert result["ok"] is True
    assert result["code"].strip() == PASS_PROGRAM.strip()
    assert result["diagnostics"] == []
    assert result["model"] == "bbj-coder-test"
    assert result["retrieved"][0] == "gui/gui-button" and "gui/character-menu" not in result["retrieved"]
    first, second = server.requests
    assert first["model"] == "bbj-coder-test" and first["max_tokens"] == settings.max_tokens and "<|im_end|>" in first["stop"]
    system, user = first["messages"]
    assert system["role"] == "system" and "BBj GUI" in system["content"]
    assert "[gui/gui-button]" in user["content"] and user["content"].endswith("A window with a push button that greets the user")
    repair = second["messages"][-1]["content"]
    assert second["messages"][-2] == {"role": "assistant", "content": fenced(FAIL_PROGRAM)}
    assert f"line {line_of(FAIL_PROGRAM, 'addEventListener')}" in repair and "BBJ511" in repair and "BBJ510" in repair


def test_code_that_never_passes_comes_back_with_its_diagnostics(fake_model: tuple[Script, ScriptedServer], settings: McpSettings) -> None:
    script, server = fake_model
    url = server.base_url
    script.replies = [fenced(FAIL_PROGRAM)]
    result = structured(generate(settings.with_changes(base_url=url), {"prompt": "button", "generation": "bbj-gui", "max_attempts": 2}))
    assert result["attempts"] == 2 and result["ok"] is False
    assert [d["code"] for d in result["diagnostics"]] == ["BBJ511", "BBJ510"]
    assert len(server.requests) == 2


def test_context_goes_into_the_prompt(fake_model: tuple[Script, ScriptedServer], settings: McpSettings) -> None:
    script, server = fake_model
    url = server.base_url
    script.replies = [fenced('print "done"\n')]
    context = "rem the caller's program\ngosub add_total\nstop\n"
    result = structured(generate(settings.with_changes(base_url=url), {"prompt": "write add_total", "generation": "all", "context": context}))
    assert result["ok"] is True and result["attempts"] == 1
    assert "gosub add_total" in server.last_user(server.requests[0])


def test_endpoint_down_is_a_tool_error_within_the_timeout(settings: McpSettings) -> None:
    settings = settings.with_changes(base_url=f"http://127.0.0.1:{free_port()}/v1", generate_timeout_s=20.0)
    started = time.monotonic()
    result = generate(settings, {"prompt": "button", "generation": "bbj-gui"})
    assert time.monotonic() - started < 20
    assert result.is_error
    text = result.content[0].text
    assert "model endpoint" in text and "127.0.0.1" in text and "connection failed" in text


def test_slow_endpoint_is_a_tool_error_at_the_wall_limit(fake_model: tuple[Script, ScriptedServer], settings: McpSettings) -> None:
    script, server = fake_model
    url = server.base_url
    script.replies, script.delay_s = [fenced(PASS_PROGRAM)], 8.0
    started = time.monotonic()
    result = generate(settings.with_changes(base_url=url, generate_timeout_s=1.5), {"prompt": "button", "generation": "bbj-gui"})
    assert time.monotonic() - started < 6
    assert result.is_error and "did not finish within 1.5 s: the model at http://127.0.0.1" in result.content[0].text


def test_limits_on_arguments(settings: McpSettings) -> None:
    too_many = generate(settings, {"prompt": "x", "generation": "dwc", "max_attempts": 6})
    assert too_many.is_error and "the limit is 5" in too_many.content[0].text
    oversize = generate(settings, {"prompt": "x", "generation": "dwc", "context": "x" * 100_001})
    assert oversize.is_error and "context is 100,001 bytes" in oversize.content[0].text
    bad_generation = generate(settings, {"prompt": "x", "generation": "windows"})
    assert bad_generation.is_error


def test_references_stay_within_their_budget(fake_model: tuple[Script, ScriptedServer], examples: McpSettings) -> None:
    script, server = fake_model
    script.replies = [fenced(PASS_PROGRAM)]
    settings = examples.with_changes(base_url=server.base_url, reference_chars=len(PASS_PROGRAM) + 200)
    result = structured(generate(settings, {"prompt": "A window with a push button that greets the user", "generation": "bbj-gui"}))
    assert result["retrieved"] == ["gui/gui-button"]  # the API class no longer fits
    assert "[api:" not in server.last_user(server.requests[0])


def test_code_with_only_warnings_passes_at_once(fake_model: tuple[Script, ScriptedServer], settings: McpSettings) -> None:
    """An IF without FI compiles (BBJ506 is a warning): no repair round is spent on it, and the
    tool and the eval's judge agree with check_bbj_code's `ok`."""
    script, server = fake_model
    warned = 'x = 1\nif x = 1 then\n    print "one"\nprint "done"\n'
    script.replies = [fenced(warned)]
    result = structured(generate(settings.with_changes(base_url=server.base_url), {"prompt": "print one", "generation": "all"}))
    assert (result["ok"], result["attempts"]) == (True, 1)
    assert [(d["code"], d["severity"]) for d in result["diagnostics"]] == [("BBJ506", "warning")]
    assert len(server.requests) == 1
