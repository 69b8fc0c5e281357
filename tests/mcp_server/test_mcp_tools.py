"""The tools in-process through the SDK's own `Client(server)`: schemas, the check on a passing
and a failing button program, generation findings, limits, bbjcpl, and the API lookup."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp_helpers import FAIL_PROGRAM, PASS_PROGRAM, line_of, run, structured

from bbj_mcp.config import McpSettings
from bbj_mcp.server import build_server


def call(settings: McpSettings, tool: str, arguments: dict[str, Any]) -> Any:
    async def session() -> Any:
        async with Client(build_server(settings)) as client:
            return await client.call_tool(tool, arguments)

    return run(session)


def test_lists_three_tools_with_input_and_output_schemas(settings: McpSettings) -> None:
    async def session() -> Any:
        async with Client(build_server(settings)) as client:
            return await client.list_tools()

    tools = {tool.name: tool for tool in run(session).tools}
    assert set(tools) == {"check_bbj_code", "generate_bbj_code", "lookup_bbj_api"}
    check = tools["check_bbj_code"]
    assert check.input_schema["required"] == ["code"]
    generation = check.input_schema["properties"]["generation"]["anyOf"][0]
    assert generation["enum"] == ["character", "vpro5", "bbj-gui", "dwc", "all"]
    assert set(check.output_schema["properties"]) == {"ok", "checker", "checker_version", "diagnostics"}
    finding = check.output_schema["$defs"]["Finding"]["properties"]
    assert set(finding) == {"line", "col", "code", "severity", "message", "hint"}
    generate = tools["generate_bbj_code"]
    assert generate.input_schema["required"] == ["prompt", "generation"]
    assert generate.input_schema["properties"]["max_attempts"]["default"] == 3
    assert set(generate.output_schema["properties"]) == {"code", "ok", "attempts", "diagnostics", "model", "retrieved"}
    assert tools["lookup_bbj_api"].input_schema["required"] == ["class_name"]
    assert all(tool.annotations and tool.annotations.read_only_hint for tool in tools.values())


def test_passing_button_program_is_ok(settings: McpSettings) -> None:
    result = structured(call(settings, "check_bbj_code", {"code": PASS_PROGRAM, "generation": "bbj-gui"}))
    assert result == {"ok": True, "checker": "bbj-builtin", "checker_version": result["checker_version"], "diagnostics": []}


def test_failing_button_program_is_flagged_at_add_event_listener_and_alert(settings: McpSettings) -> None:
    result = structured(call(settings, "check_bbj_code", {"code": FAIL_PROGRAM}))
    assert result["ok"] is False
    found = [(d["line"], d["code"]) for d in result["diagnostics"]]
    assert found == [(line_of(FAIL_PROGRAM, "addEventListener"), "BBJ511"), (line_of(FAIL_PROGRAM, "alert("), "BBJ510")]
    listener, alert = result["diagnostics"]
    assert "setCallback" in listener["message"] and listener["severity"] == "error"
    assert listener["col"] == FAIL_PROGRAM.splitlines()[listener["line"] - 1].index("addEventListener") + 1
    assert "MSGBOX" in alert["message"].upper()
    assert all(d["hint"] for d in result["diagnostics"])


def test_generation_findings_only_when_the_generation_lacks_the_api(settings: McpSettings) -> None:
    for fits in ("bbj-gui", "dwc"):
        assert structured(call(settings, "check_bbj_code", {"code": PASS_PROGRAM, "generation": fits}))["diagnostics"] == []
    result = structured(call(settings, "check_bbj_code", {"code": PASS_PROGRAM, "generation": "character"}))
    assert result["ok"] is True  # warnings: the code compiles, it just does not run in character mode
    assert {d["code"] for d in result["diagnostics"]} == {"BBJ401"}
    assert line_of(PASS_PROGRAM, "getSysGui") in {d["line"] for d in result["diagnostics"]}
    portable = structured(call(settings, "check_bbj_code", {"code": PASS_PROGRAM, "generation": "all"}))
    assert {d["code"] for d in portable["diagnostics"]} == {"BBJ402"}


def test_input_over_the_size_cap_is_a_tool_error(settings: McpSettings) -> None:
    small = McpSettings(**{**settings.__dict__, "max_input_bytes": 2000})
    at_limit = "rem " + "x" * (2000 - 4)
    assert structured(call(small, "check_bbj_code", {"code": at_limit}))["ok"] is True
    result = call(small, "check_bbj_code", {"code": at_limit + "x"})
    assert result.is_error
    assert "2,001 bytes; the limit is 2,000 bytes" in result.content[0].text
    big = call(settings, "check_bbj_code", {"code": "rem é\n" * 20_000})  # 100 KB counted in UTF-8 bytes
    assert big.is_error and "the limit is 100,000 bytes" in big.content[0].text


def test_bbjcpl_is_used_when_configured_and_flags_still_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compile_helpers import install_fake

    fake = install_fake(tmp_path / "bbj" / "bin")
    (tmp_path / "pyproject.toml").write_text(f'[tool.bbj-curate]\nbbjcpl = "{fake}"\n', "utf-8")
    monkeypatch.setenv("FAKE_BBJCPL_BAD", json.dumps(['alert("Hello from BBj")']))
    result = structured(call(McpSettings(project=tmp_path), "check_bbj_code", {"code": FAIL_PROGRAM}))
    assert result["checker"] == "bbjcpl"
    assert [(d["line"], d["code"]) for d in result["diagnostics"]] == [
        (line_of(FAIL_PROGRAM, "addEventListener"), "BBJ511"),
        (line_of(FAIL_PROGRAM, "alert("), "BBJ520"),  # bbjcpl's verdict, column 1
        (line_of(FAIL_PROGRAM, "alert("), "BBJ510"),
    ]


def test_a_hanging_checker_is_a_tool_error_within_the_wall_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compile_helpers import install_fake

    fake = install_fake(tmp_path / "bbj" / "bin")
    (tmp_path / "pyproject.toml").write_text(f'[tool.bbj-curate]\nbbjcpl = "{fake}"\ncompile-timeout = 30\n', "utf-8")
    monkeypatch.setenv("FAKE_BBJCPL_MODE", "sleep")
    started = time.monotonic()
    result = call(McpSettings(project=tmp_path, check_timeout_s=1.0), "check_bbj_code", {"code": PASS_PROGRAM})
    assert time.monotonic() - started < 10
    assert result.is_error and "did not finish within 1 s" in result.content[0].text


def test_lookup_lists_inherited_methods_and_answers_a_method_question(settings: McpSettings) -> None:
    button = structured(call(settings, "lookup_bbj_api", {"class_name": "bbjbutton", "method": "addEventListener"}))
    assert button["class_name"] == "BBjButton" and button["found"] is True
    assert "BBjControl" in button["ancestors"]
    declared = {m["name"]: m["declared_in"] for m in button["methods"]}
    assert declared["setCallback"] == "BBjControl"
    assert button["has_method"] is False
    assert structured(call(settings, "lookup_bbj_api", {"class_name": "BBjButton", "method": "setCallback"}))["has_method"] is True
    unknown = structured(call(settings, "lookup_bbj_api", {"class_name": "BBjButon"}))
    assert unknown["found"] is False and "BBjButton" in unknown["suggestions"]


def test_lookup_agrees_with_the_checker_on_the_failing_program(settings: McpSettings) -> None:
    """What BBJ511 flags, the lookup denies; what the passing program calls, it confirms."""
    for method, expected in (("addEventListener", False), ("setCallback", True)):
        answer = structured(call(settings, "lookup_bbj_api", {"class_name": "BBjButton", "method": method}))
        assert answer["has_method"] is expected


def test_generation_choices_are_the_vocabulary() -> None:
    from typing import get_args

    from bbj_mcp.results import Generation
    from curate.vocabulary import ALL_GENERATIONS, GENERATIONS

    assert list(get_args(Generation)) == [*GENERATIONS, ALL_GENERATIONS]


@pytest.mark.parametrize("program", [PASS_PROGRAM, FAIL_PROGRAM], ids=["pass", "fail"])
def test_check_agrees_with_the_compile_hook(settings: McpSettings, program: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """One gate: the tool and the `bbj-compile` hook (its real entry point) report the same
    findings for the same code."""
    from hooks.compile import main as compile_hook

    (settings.project / "pyproject.toml").write_text('[tool.bbj-curate]\nchecker = "builtin"\n', "utf-8")
    example = settings.project / "training-data" / "gui" / "button.md"
    example.parent.mkdir(parents=True)
    # in-review: gated like code the tool judges (a draft's compile errors would be warnings)
    header = "---\ntitle: Button\ntype: completion\ngeneration: bbj-gui\nstatus: in-review\n---\n\n## Code\n\n```bbj\n"
    example.write_text(f"{header}{program}```\n\n## Explanation\n\nA button.\n", "utf-8")
    first_code_line = header.count("\n") + 1
    monkeypatch.chdir(settings.project)
    status = compile_hook([str(example)])
    printed = re.findall(r"button\.md:(\d+):(\d+): (BBJ\d+) (.*)", capsys.readouterr().out)
    hook = {(int(line) - first_code_line + 1, int(col), code, message) for line, col, code, message in printed}
    tool = structured(call(settings, "check_bbj_code", {"code": program}))["diagnostics"]
    assert {(d["line"], d["col"], d["code"], d["message"]) for d in tool} == hook
    assert (status == 1, bool(hook)) == (program is FAIL_PROGRAM, program is FAIL_PROGRAM)
