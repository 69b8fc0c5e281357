"""Per-line `rem noqa:` suppression (curate.noqa) and its unused warning BBJ306, through every
path that judges examples: `bbj-curate check`/`lint`, the hooks, convert's trainable gate and
the MCP check tool; compile errors stay on an example that trains, as with `lint_ignore`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bbj_mcp.check import CodeChecker
from curate.checks import CheckOptions, lint_step, run_checks
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.noqa import noqa_comments
from hooks import compile as compile_hook
from hooks import lint as lint_hook
from train.data.convert import load_examples

FABRICATED = 'console.log("x")'  # BBJ510 from the built-in checker


def example(code: str, status: str = "draft") -> str:
    return (
        f"---\ntitle: Greet the user\ntype: completion\ngeneration: all\ndifficulty: basic\nstatus: {status}\n---\n\n"
        f"## Code\n\n```bbj\nrem Greet the user\n{code}\n```\n\n"
        "## Expected Behavior\n\nPrints hello on the terminal.\n\n## Explanation\n\nPRINT writes its arguments to the terminal.\n"
    )


CODE_LINE = 13  # the file line of `code` in example()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(repo: Path, text: str, name: str = "greet-the-user.md") -> Path:
    path = repo / "training-data" / "strings" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def check(repo: Path, steps: list | None = None) -> list[Diagnostic]:  # type: ignore[type-arg]
    config = CurateConfig(root=repo, checker="builtin")
    return run_checks([Path("training-data")], config, CheckOptions(jobs=1, dedupe=False), steps).diagnostics


def codes_at(diags: list[Diagnostic], line: int) -> list[str]:
    return [d.code for d in diags if d.line == line]


def test_comment_forms() -> None:
    code = 'print "a" ; rem noqa: BBJ510\nREM NOQA:bbj302,  BBJ401 BBJ402\nprint "rem noqa: BBJ510"\nx = 1 ; rem noqa\nremark = 1 ; rem why not noqa: BBJ303'
    found = list(noqa_comments(code, 10))
    assert [(n.line, n.codes) for n in found] == [(10, ("BBJ510",)), (11, ("BBJ302", "BBJ401", "BBJ402")), (14, ("BBJ303",))]
    assert found[0].col == len('print "a" ; ') + 1


def test_noqa_silences_its_line_only_on_a_draft(repo: Path) -> None:
    write(repo, example(f"{FABRICATED} ; rem noqa: BBJ510\n{FABRICATED}"))
    diags = check(repo)
    assert codes_at(diags, CODE_LINE) == [] and codes_at(diags, CODE_LINE + 1) == ["BBJ510"]


def test_a_compile_error_stays_on_an_example_that_trains(repo: Path) -> None:
    write(repo, example(f"{FABRICATED} ; rem noqa: BBJ510", status="approved"))
    diags = check(repo)
    [kept] = [d for d in diags if d.line == CODE_LINE]
    assert kept.code == "BBJ510" and "noqa cannot silence BBJ510 on an approved example" in kept.message


def test_unused_and_unknown_codes_are_bbj306(repo: Path) -> None:
    write(repo, example('print "hello" ; rem noqa: BBJ510\nx = 1 ; rem noqa: BBJ999'))
    diags = check(repo)
    assert codes_at(diags, CODE_LINE) == ["BBJ306"] and "unused noqa: no BBJ510" in diags[0].message
    assert codes_at(diags, CODE_LINE + 1) == ["BBJ306"] and "noqa: unknown rule code 'BBJ999'" in [d for d in diags if d.line == CODE_LINE + 1][0].message


def test_lint_alone_does_not_judge_compile_codes(repo: Path) -> None:
    """`bbj-curate lint` never compiles: its BBJ510 suppression is not 'unused'."""
    write(repo, example('print "hello" ; rem noqa: BBJ510\ny = 2 ; rem noqa: BBJ302'))
    diags = check(repo, [lint_step])
    assert codes_at(diags, CODE_LINE) == [] and codes_at(diags, CODE_LINE + 1) == ["BBJ306"]


def test_bbj306_itself_follows_lint_ignore(repo: Path) -> None:
    write(repo, example('print "hello" ; rem noqa: BBJ510').replace("status: draft", "status: draft\nlint_ignore: [BBJ306]"))
    assert check(repo) == []


def test_each_hook_reports_the_suppressions_it_judges(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(repo, example('print "hello" ; rem noqa: BBJ510\ny = 2 ; rem noqa: BBJ302, BBJ999'))
    assert lint_hook.main([str(path)]) == 0  # warnings do not block
    linted = capsys.readouterr().out
    assert f":{CODE_LINE + 1}:9: BBJ306 unused noqa: no BBJ302" in linted and "BBJ999" in linted and "BBJ510" not in linted
    assert compile_hook.main([str(path)]) == 0
    compiled = capsys.readouterr().out
    assert f":{CODE_LINE}:17: BBJ306 unused noqa: no BBJ510" in compiled and "BBJ302" not in compiled and "BBJ999" not in compiled


def test_the_compile_hook_honours_noqa_on_a_draft(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(repo, example(f"{FABRICATED} ; rem noqa: BBJ510"))
    assert compile_hook.main([str(path)]) == 0, capsys.readouterr().out
    path.write_text(example(f"{FABRICATED} ; rem noqa: BBJ510", status="approved"), "utf-8")
    assert compile_hook.main([str(path)]) == 1
    assert "noqa cannot silence BBJ510" in capsys.readouterr().out


def test_convert_honours_noqa_for_a_lint_error(repo: Path) -> None:
    """The trainable gate (convert) takes noqa from the same place: a silenced lint error
    (BBJ302, not a gate code) lets an approved example train; a compile error never does."""
    write(repo, example("x = 1 ; rem noqa: BBJ302", status="approved").replace("rem Greet the user\n", ""))
    write(repo, example(f"{FABRICATED} ; rem noqa: BBJ510", status="approved"), "log-to-console.md")
    config = CurateConfig(root=repo, checker="builtin")
    loaded = load_examples([Path("training-data")], config, ("approved",), jobs=1)
    assert [e.path.name for e in loaded.examples] == ["greet-the-user.md"]
    assert "BBJ510" in {d.code for d in loaded.skipped}
    write(repo, example("x = 1", status="approved").replace("rem Greet the user\n", ""))
    assert [e.path.name for e in load_examples([Path("training-data")], config, ("approved",), jobs=1).examples] == []


def test_the_mcp_check_tool_takes_noqa_like_an_example_that_trains() -> None:
    checker = CodeChecker(CurateConfig(), "builtin")
    assert not checker.check(f"rem x\n{FABRICATED} ; rem noqa: BBJ510\n").ok
    addwindow = 'rem x\nwindow! = sysgui!.addWindow(10,10,200,100,"x")'
    assert [f.code for f in checker.check(addwindow, "vpro5").diagnostics] == ["BBJ401"]
    assert checker.check(addwindow + " ; rem noqa: BBJ401", "vpro5").diagnostics == []
